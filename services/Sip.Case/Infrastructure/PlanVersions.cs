using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.ServiceDefaults;

namespace Sip.Case.Infrastructure;

/// <summary>A case's plan versions, where both a coordinator (PlansApi) and a held meeting (MeetingHeldConsumer) open the next one.</summary>
internal static class PlanVersions
{
    /// <summary>The newest version that is not cancelled: the plan in force, or the draft after the latest meeting.</summary>
    public static Task<PlanVersion?> CurrentAsync(this IQueryable<PlanVersion> plans, Guid caseId, CancellationToken ct) =>
        plans.Where(p => p.CaseId == caseId && p.Status != PlanStatus.Cancelled).OrderByDescending(p => p.Version).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The draft after a meeting: <paramref name="content"/>, else the previous version's content copied forward, else
    /// (the first plan) the case's reason with <paramref name="coordinatorUnitId"/> as the coordinator's unit. The previous
    /// version is superseded and every unit hears of it through the outbox, in the caller's transaction.
    /// </summary>
    public static async Task<PlanVersion> AddNextVersionAsync(this CaseDbContext db, SipCase sipCase, PlanVersion? previous, DateTimeOffset meetingAt,
        PlanContent? content, Guid coordinatorUnitId, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (previous is { Status: PlanStatus.Draft })
        {
            throw new DomainException("draft-exists", "Det finns redan ett utkast", $"Version {previous.Version} är ett utkast: skriv vidare i det.", StatusCodes.Status409Conflict);
        }
        var number = await db.Plans.Where(p => p.CaseId == sipCase.Id).MaxAsync(p => (int?)p.Version, ct) ?? 0;
        var plan = PlanVersion.Create(sipCase, number + 1, meetingAt,
            content ?? previous?.Content ?? PlanContent.Empty with { Reason = sipCase.Reason, CoordinatorUnitId = coordinatorUnitId }, by, now);
        sipCase.Touch(now);
        db.Plans.Add(plan);
        db.PlanRevisions.Add(PlanRevision.Of(plan));
        if (previous is not null)
        {
            previous.Supersede(now);
            db.AddEvent(new PlanSuperseded(Guid.CreateVersion7(now), now, sipCase.TenantId, sipCase.Id, sipCase.Reference, previous.Id, previous.Version, plan.Id));
        }
        return plan;
    }
}
