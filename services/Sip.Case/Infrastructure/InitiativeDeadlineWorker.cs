using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Contracts.Case;
using Sip.Messaging;

namespace Sip.Case.Infrastructure;

public sealed class InitiativeDeadlineOptions
{
    /// <summary>How often to look for initiatives past their deadline.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Marks initiatives that were not answered by their deadline as overdue and publishes
/// <see cref="InitiativeOverdue"/> through the outbox. Several replicas may run it: each case is saved
/// under its row version, so one of two concurrent markings fails and nothing is published twice.
/// </summary>
public sealed class InitiativeDeadlineWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<InitiativeDeadlineOptions> options,
    ILogger<InitiativeDeadlineWorker> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await MarkOverdueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Initiative deadline check failed ({Error}); retrying at the next check", e.GetType().Name);
            }
            try
            {
                await Task.Delay(options.Value.CheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<int> MarkOverdueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var caseIds = await db.Set<Domain.Initiative>()
            .Where(i => i.Status == Domain.InitiativeStatus.Sent && i.DueAt <= now)
            .Select(i => i.CaseId).Distinct().Take(Batch).ToListAsync(ct);
        var marked = 0;
        foreach (var caseId in caseIds)
        {
            db.ChangeTracker.Clear();
            var sipCase = await db.Cases.Include(c => c.Initiatives).SingleAsync(c => c.Id == caseId, ct);
            foreach (var initiative in sipCase.MarkOverdue(now))
            {
                db.AddEvent(new InitiativeOverdue(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, initiative.Id,
                    initiative.FromUnitId, initiative.ToUnitId, initiative.DueAt));
                marked++;
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another replica or a user changed the case meanwhile: the next check sees it again.
            }
        }
        return marked;
    }
}
