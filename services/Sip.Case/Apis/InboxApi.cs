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
/// kinds and dates, never personal data. Read from the rows <see cref="InboxProjection"/> keeps, which also holds the
/// rules of what awaits whom.
/// </summary>
public static class InboxApi
{
    public const int MaxPageSize = 100;

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
        var now = clock.GetUtcNow();
        var entries = db.InboxEntries.Where(e => e.TenantId == user.TenantId && e.UnitId == unitId && (e.ShownFrom == null || e.ShownFrom <= now));
        if (kind is { } k)
        {
            entries = entries.Where(e => e.Kind == k);
        }
        if (overdue is { } late)
        {
            entries = late ? entries.Where(e => e.OverdueAfter < now) : entries.Where(e => e.OverdueAfter == null || e.OverdueAfter >= now);
        }
        if (urgency is { } u)
        {
            entries = entries.Where(e => e.Urgency == u);
        }
        // Items without a deadline come after those with one; ties in the order of the items' ids. "due" is PostgreSQL's
        // ascending order, NULLs last, which ix_inbox_unit_order holds: a page is read off the index, not sorted from all
        // of a unit's rows (4.4 ms a page for 2,600 rows, docs/benchmarks.md run AC).
        IOrderedQueryable<InboxEntry> ordered = sort switch
        {
            "due" => entries.OrderBy(e => e.DueAt),
            "-due" => entries.OrderBy(e => e.DueAt == null).ThenByDescending(e => e.DueAt),
            "received" => entries.OrderBy(e => e.ReceivedAt),
            "-received" => entries.OrderByDescending(e => e.ReceivedAt),
            _ => throw new DomainException("validation", "Ogiltig begäran", "sort är due, -due, received eller -received.", StatusCodes.Status400BadRequest),
        };
        var total = await entries.CountAsync(ct);
        var paged = await ordered.ThenBy(e => e.ItemId).ThenBy(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new InboxItem(e.Kind, e.ItemId, e.CaseId, e.CaseReference, e.Urgency, e.FromUnitId, e.ReceivedAt, e.DueAt,
                e.OverdueAfter != null && e.OverdueAfter < now, e.PlanVersion, e.Obligation))
            .ToListAsync(ct);
        return TypedResults.Ok(new InboxPage(paged, total, page, pageSize, now));
    }
}

public sealed record InboxItem(InboxKind Kind, Guid ItemId, Guid CaseId, string CaseReference, Urgency Urgency, Guid? FromUnitId,
    DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, bool Overdue, int? PlanVersion, string? Obligation = null);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Total, int Page, int PageSize, DateTimeOffset AsOf);
