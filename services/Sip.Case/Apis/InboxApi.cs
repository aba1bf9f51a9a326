using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Apis;

/// <summary>What in the inbox awaits the unit.</summary>
public enum InboxKind
{
    /// <summary>An initiative to acknowledge or decline (deadline: 1 working day).</summary>
    InitiativeToAnswer,
    /// <summary>A case message sent for acknowledgement.</summary>
    MessageToAcknowledge,
    /// <summary>The coordinator's draft, due 2 working days after the meeting.</summary>
    PlanToSign,
    /// <summary>A signed plan the coordinator has yet to lock with the signatures.</summary>
    PlanToLock,
    /// <summary>A locked plan with copies still to give to those the individual approved.</summary>
    PlanCopiesToSend,
    /// <summary>An activity the unit is responsible for and has not reported done or not done.</summary>
    ActivityToFollowUp,
    /// <summary>The coordinator's next follow-up, within the coming two weeks or past.</summary>
    FollowUpDue,
    /// <summary>
    /// A discharge case's obligation under LUS not yet met (<see cref="InboxItem.Obligation"/>): the admission notice for the
    /// inpatient unit, the summons and the meeting for the fixed care contact's unit (else the unit that opened the case).
    /// </summary>
    DischargeObligationDue,
}

/// <summary>
/// What a unit's watchers open every morning and what a municipal system polls: everything awaiting the
/// unit's action in open cases, with deadlines, filterable, sortable and paged. Items carry references,
/// kinds and dates, never personal data.
/// </summary>
public static class InboxApi
{
    public const int MaxPageSize = 100;
    private static readonly TimeSpan FollowUpHorizon = TimeSpan.FromDays(14);

    public static async Task<Ok<InboxPage>> Inbox(Guid unitId, ClaimsPrincipal principal, CaseDbContext db, TimeProvider clock, CancellationToken ct,
        InboxKind? kind = null, bool? overdue = null, Urgency? urgency = null, string sort = "due", int page = 1, int pageSize = 25)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(unitId))
        {
            throw new DomainException("forbidden", "Åtkomst nekad", "Du kan bara läsa inkorgen för en enhet som du tillhör.", StatusCodes.Status403Forbidden);
        }
        if (page < 1 || pageSize is < 1 or > MaxPageSize)
        {
            throw new DomainException("validation", "Ogiltig begäran", $"page börjar på 1 och pageSize är 1–{MaxPageSize}.", StatusCodes.Status400BadRequest);
        }
        Func<IEnumerable<InboxItem>, IOrderedEnumerable<InboxItem>> order = sort switch
        {
            // Items without a deadline come after those with one.
            "due" => items => items.OrderBy(i => i.DueAt ?? DateTimeOffset.MaxValue).ThenBy(i => i.ItemId),
            "-due" => items => items.OrderByDescending(i => i.DueAt ?? DateTimeOffset.MinValue).ThenBy(i => i.ItemId),
            "received" => items => items.OrderBy(i => i.ReceivedAt).ThenBy(i => i.ItemId),
            "-received" => items => items.OrderByDescending(i => i.ReceivedAt).ThenBy(i => i.ItemId),
            _ => throw new DomainException("validation", "Ogiltig begäran", "sort är due, -due, received eller -received.", StatusCodes.Status400BadRequest),
        };
        var now = clock.GetUtcNow();
        var items = await GatherAsync(db, user.TenantId, unitId, kind, now, ct);
        var selected = items
            .Where(i => overdue is null || i.Overdue == overdue)
            .Where(i => urgency is null || i.Urgency == urgency)
            .ToList();
        var paged = order(selected).Skip((page - 1) * pageSize).Take(pageSize).ToList();
        return TypedResults.Ok(new InboxPage(paged, selected.Count, page, pageSize, now));
    }

    private static async Task<List<InboxItem>> GatherAsync(CaseDbContext db, string tenantId, Guid unitId, InboxKind? kind, DateTimeOffset now, CancellationToken ct)
    {
        bool Wanted(params InboxKind[] kinds) => kind is null || kinds.Contains(kind.Value);
        var openCases = db.Cases.Where(c => c.TenantId == tenantId && c.Status == CaseStatus.Open);
        var items = new List<InboxItem>();
        if (Wanted(InboxKind.InitiativeToAnswer))
        {
            items.AddRange(await (
                from i in db.Set<Initiative>()
                join c in openCases on i.CaseId equals c.Id
                where i.ToUnitId == unitId && (i.Status == InitiativeStatus.Sent || i.Status == InitiativeStatus.Overdue)
                select new InboxItem(InboxKind.InitiativeToAnswer, i.Id, c.Id, c.Reference, c.Urgency, i.FromUnitId, i.SentAt, i.DueAt, i.Status == InitiativeStatus.Overdue, null))
                .ToListAsync(ct));
        }
        if (Wanted(InboxKind.MessageToAcknowledge))
        {
            items.AddRange(await (
                from m in db.Messages
                join c in openCases on m.CaseId equals c.Id
                where m.RequiresAcknowledgement && m.ToUnitIds.Contains(unitId) && !m.AcknowledgedByUnitIds.Contains(unitId)
                select new InboxItem(InboxKind.MessageToAcknowledge, m.Id, c.Id, c.Reference, c.Urgency, m.FromUnitId, m.SentAt, null, false, null))
                .ToListAsync(ct));
        }
        if (Wanted(InboxKind.PlanToSign, InboxKind.PlanToLock, InboxKind.PlanCopiesToSend, InboxKind.ActivityToFollowUp, InboxKind.FollowUpDue))
        {
            var plans = await (
                from p in db.Plans
                join c in openCases on p.CaseId equals c.Id
                where (p.CoordinatorUnitId == unitId || p.ResponsibleUnitIds.Contains(unitId))
                      && (p.Status == PlanStatus.Draft || p.Status == PlanStatus.Signed || p.Status == PlanStatus.Locked)
                select new { Plan = p, c.Reference, c.Urgency })
                .AsNoTracking().ToListAsync(ct);
            foreach (var (plan, reference, caseUrgency) in plans.Select(x => (x.Plan, x.Reference, x.Urgency)))
            {
                var coordinator = plan.CoordinatorUnitId == unitId;
                var followUp = plan.Content.NextFollowUp?.DueBy() is { } f ? SwedishCalendar.StartOfDay(f) : (DateTimeOffset?)null;
                if (coordinator && plan.Status == PlanStatus.Draft && Wanted(InboxKind.PlanToSign))
                {
                    items.Add(new InboxItem(InboxKind.PlanToSign, plan.Id, plan.CaseId, reference, caseUrgency, null, plan.CreatedAt, plan.DueAt, plan.IsLate(now), plan.Version));
                }
                if (coordinator && plan.Status == PlanStatus.Signed && Wanted(InboxKind.PlanToLock))
                {
                    items.Add(new InboxItem(InboxKind.PlanToLock, plan.Id, plan.CaseId, reference, caseUrgency, null, plan.SignedAt ?? plan.ChangedAt, null, false, plan.Version));
                }
                if (coordinator && plan.Status == PlanStatus.Locked && plan.CopiesToSend.Count > 0 && Wanted(InboxKind.PlanCopiesToSend))
                {
                    items.Add(new InboxItem(InboxKind.PlanCopiesToSend, plan.Id, plan.CaseId, reference, caseUrgency, null, plan.LockedAt ?? plan.ChangedAt, null, false, plan.Version));
                }
                if (coordinator && plan.Status == PlanStatus.Locked && followUp is { } meeting && meeting - now <= FollowUpHorizon && Wanted(InboxKind.FollowUpDue))
                {
                    items.Add(new InboxItem(InboxKind.FollowUpDue, plan.Id, plan.CaseId, reference, caseUrgency, null, plan.LockedAt ?? plan.ChangedAt, meeting, meeting < now, plan.Version));
                }
                if (plan.Status != PlanStatus.Draft && Wanted(InboxKind.ActivityToFollowUp))
                {
                    foreach (var activity in plan.Content.Activities.Where(a => a.ResponsibleUnitId == unitId && plan.CurrentStatus(a) is ActivityStatus.NotStarted or ActivityStatus.Ongoing))
                    {
                        var due = activity.End is { } end ? SwedishCalendar.StartOfDay(end.AddDays(1)) : followUp;
                        items.Add(new InboxItem(InboxKind.ActivityToFollowUp, activity.Id, plan.CaseId, reference, caseUrgency, null, plan.SignedAt ?? plan.ChangedAt,
                            due, due < now, plan.Version));
                    }
                }
            }
        }
        if (Wanted(InboxKind.DischargeObligationDue))
        {
            items.AddRange(await DischargeObligationsAsync(openCases, unitId, now, ct));
        }
        return items;
    }

    private static async Task<IEnumerable<InboxItem>> DischargeObligationsAsync(IQueryable<SipCase> openCases, Guid unitId, DateTimeOffset now, CancellationToken ct)
    {
        var cases = await openCases
            .Where(c => c.Discharge != null && (c.OpenedByUnitId == unitId || c.Initiatives.Any(i => i.ToUnitId == unitId
                && (i.Status == InitiativeStatus.Sent || i.Status == InitiativeStatus.Overdue || i.Status == InitiativeStatus.Acknowledged))))
            .Include(c => c.Initiatives).AsNoTracking().ToListAsync(ct);
        return
            from c in cases
            let d = c.Discharge!
            from o in d.Obligations(c, now)
            where !o.Done && d.OwedBy(o, c) == unitId
            select new InboxItem(InboxKind.DischargeObligationDue, c.Id, c.Id, c.Reference, c.Urgency, null, c.OpenedAt, o.DueAt, o.Late, null, o.Code);
    }
}

public sealed record InboxItem(InboxKind Kind, Guid ItemId, Guid CaseId, string CaseReference, Urgency Urgency, Guid? FromUnitId,
    DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, bool Overdue, int? PlanVersion, string? Obligation = null);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Total, int Page, int PageSize, DateTimeOffset AsOf);
