using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Case.Tests;

/// <summary>A clock the test sets.</summary>
public sealed class SetClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}

/// <summary>The deadline worker against a real PostgreSQL, migrated as the migrate step does it.</summary>
public sealed class InitiativeDeadlineWorkerTests : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private ServiceProvider _services = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        var connection = await _postgres.CreateServiceSchemaAsync(CaseDbContext.Schema);
        _services = new ServiceCollection()
            .AddDbContext<CaseDbContext>(o => o.UseNpgsql(connection, n => n.MigrationsHistoryTable(ServiceDatabaseRegistration.MigrationsHistoryTable, CaseDbContext.Schema)))
            .BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CaseDbContext>().Database.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    private InitiativeDeadlineWorker Worker(TimeProvider clock) =>
        new(_services.GetRequiredService<IServiceScopeFactory>(), clock, Options.Create(new InitiativeDeadlineOptions()), NullLogger<InitiativeDeadlineWorker>.Instance);

    private async Task<SipCase> CaseWithInitiativeAsync(DateTimeOffset sent, string reference)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var sipCase = SipCase.Open("tenant-a", reference, Guid.NewGuid(), "1481", "Samordning inför utskrivning", Urgency.Normal, Guid.NewGuid(), "staff-1", sent);
        db.Add(sipCase);
        db.Add(sipCase.SendInitiative(Guid.NewGuid(), sent));
        await db.SaveChangesAsync(Ct);
        return sipCase;
    }

    private async Task<(InitiativeStatus Status, int Events)> StateAsync(Guid caseId)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var status = await db.Set<Initiative>().Where(i => i.CaseId == caseId).Select(i => i.Status).SingleAsync(Ct);
        var events = await db.Set<OutboxMessage>().CountAsync(m => m.AggregateId == caseId.ToString() && m.MessageType.Contains("InitiativeOverdue"), Ct);
        return (status, events);
    }

    [Fact]
    public async Task An_initiative_sent_on_midsummer_eve_eve_is_overdue_only_after_the_midsummer_weekend_and_the_event_is_published_once()
    {
        // Thursday 18 June 2026, 10:00; Midsummer Eve (Friday) counts as a holiday: due Monday 22 June, 10:00.
        var sent = new DateTimeOffset(2026, 6, 18, 10, 0, 0, TimeSpan.FromHours(2)).ToUniversalTime(); // as the clock gives it
        var sipCase = await CaseWithInitiativeAsync(sent, "SIP-2026-100001");
        var clock = new SetClock(new DateTimeOffset(2026, 6, 22, 9, 59, 0, TimeSpan.FromHours(2)));

        await Worker(clock).MarkOverdueAsync(Ct);
        Assert.Equal((InitiativeStatus.Sent, 0), await StateAsync(sipCase.Id));

        clock.Now = new DateTimeOffset(2026, 6, 22, 10, 0, 0, TimeSpan.FromHours(2));
        await Worker(clock).MarkOverdueAsync(Ct);
        await Worker(clock).MarkOverdueAsync(Ct);

        Assert.Equal((InitiativeStatus.Overdue, 1), await StateAsync(sipCase.Id));
    }

    [Fact]
    public async Task Two_replicas_marking_at_once_publish_one_event()
    {
        var sent = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1)).ToUniversalTime();
        var sipCase = await CaseWithInitiativeAsync(sent, "SIP-2026-100002");
        var clock = new SetClock(sent.AddDays(2));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Worker(clock).MarkOverdueAsync(Ct)));

        Assert.Equal((InitiativeStatus.Overdue, 1), await StateAsync(sipCase.Id));
    }
}
