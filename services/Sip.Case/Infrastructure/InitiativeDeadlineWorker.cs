using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.ServiceDefaults;

namespace Sip.Case.Infrastructure;

public sealed class InitiativeDeadlineOptions
{
    /// <summary>How often to look for initiatives past their deadline.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Deadlines of the preparation and the plan. Marks initiatives that were not answered by their deadline as overdue and publishes
/// <see cref="InitiativeOverdue"/> through the outbox. Several replicas may run it: each case is saved
/// under its row version, so one of two concurrent markings fails and nothing is published twice.
/// </summary>
public sealed class InitiativeDeadlineWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<InitiativeDeadlineOptions> options,
    ILogger<InitiativeDeadlineWorker> logger) : PeriodicWorker(clock, logger)
{
    private const int Batch = 100;

    protected override TimeSpan Interval => options.Value.CheckInterval;

    protected override string Name => "Initiative deadline check";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await MarkOverdueAsync(ct);
        await MarkLatePlansAsync(ct);
    }

    public async Task<int> MarkOverdueAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
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

    /// <summary>Drafts not signed within two working days of their meeting: late, once, with <see cref="PlanLate"/>.</summary>
    public async Task<int> MarkLatePlansAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var planIds = await db.Plans.Where(p => p.Status == Domain.PlanStatus.Draft && p.LateAt == null && p.DueAt < now)
            .Select(p => p.Id).Take(Batch).ToListAsync(ct);
        var marked = 0;
        foreach (var planId in planIds)
        {
            db.ChangeTracker.Clear();
            var plan = await db.Plans.SingleAsync(p => p.Id == planId, ct);
            var sipCase = await db.Cases.Include(c => c.Initiatives).SingleAsync(c => c.Id == plan.CaseId, ct);
            if (sipCase.Status != Domain.CaseStatus.Open || !plan.MarkLateIfDue(now))
            {
                continue;
            }
            sipCase.Touch(now);
            db.AddEvent(new PlanLate(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, plan.Id, plan.Version, plan.DueAt, sipCase.ParticipantUnitIds));
            try
            {
                await db.SaveChangesAsync(ct);
                marked++;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Changed meanwhile: the next check sees it again.
            }
        }
        return marked;
    }
}
