using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Consent;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Infrastructure;

public sealed class ConsentExpiryOptions
{
    /// <summary>How often to look for consents past their end date; they expire at the first check after midnight (Swedish time).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Expires consents whose end date has passed, even if nobody touches them, and publishes
/// <see cref="ConsentExpired"/> through the outbox in the same transaction. Safe with several replicas:
/// rows are claimed with SKIP LOCKED. (Sharing stops at midnight regardless: the consent check compares the date itself.)
/// </summary>
public sealed class ConsentExpiryWorker(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ConsentExpiryOptions> options,
    ILogger<ConsentExpiryWorker> logger) : PeriodicWorker(clock, logger)
{
    private const int Batch = 200;

    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override string Name => "Consent expiry check";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        while (await ExpireBatchAsync(ct) == Batch)
        {
        }
    }

    public async Task<int> ExpireBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.ConsentDbContext>();
        var now = Clock.GetUtcNow();
        var today = SwedishCalendar.Today(now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var due = await db.Consents
            .FromSql($"SELECT *, xmin FROM consent.consents WHERE status IN ('Pending', 'Given') AND valid_until < {today} ORDER BY valid_until LIMIT {Batch} FOR UPDATE SKIP LOCKED")
            .ToListAsync(ct);
        foreach (var consent in due.Where(c => c.ExpireIfDue(today, now)))
        {
            db.AddEvent(new ConsentExpired(Guid.CreateVersion7(now), now, consent.TenantId, consent.Id, consent.IndividualId, consent.UnitIds, consent.ValidUntil));
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (due.Count > 0)
        {
            logger.LogInformation("Expired {Count} consents past their end date", due.Count);
        }
        return due.Count;
    }
}
