using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;

namespace Sip.Case.Apis;

/// <summary>
/// What a unit's watchers open every morning and what a municipal system polls: everything awaiting
/// the unit's action, with deadlines. Today that is initiatives to answer; messages, plans to sign and
/// follow-ups join as they are built. Items carry references and dates, never personal data.
/// </summary>
public static class InboxApi
{
    public const int MaxPageSize = 100;

    public static async Task<Ok<InboxPage>> Inbox(Guid unitId, ClaimsPrincipal principal, CaseDbContext db, TimeProvider clock, CancellationToken ct,
        bool? overdue = null, Urgency? urgency = null, string sort = "due", int page = 1, int pageSize = 25)
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
        var items =
            from i in db.Set<Initiative>()
            join c in db.Cases on i.CaseId equals c.Id
            where c.TenantId == user.TenantId && c.Status == CaseStatus.Open && i.ToUnitId == unitId
                  && (i.Status == InitiativeStatus.Sent || i.Status == InitiativeStatus.Overdue)
            select new { Initiative = i, Case = c };
        if (overdue is { } late)
        {
            items = late ? items.Where(x => x.Initiative.Status == InitiativeStatus.Overdue) : items.Where(x => x.Initiative.Status == InitiativeStatus.Sent);
        }
        if (urgency is { } u)
        {
            items = items.Where(x => x.Case.Urgency == u);
        }
        items = sort switch
        {
            "due" => items.OrderBy(x => x.Initiative.DueAt).ThenBy(x => x.Initiative.Id),
            "-due" => items.OrderByDescending(x => x.Initiative.DueAt).ThenBy(x => x.Initiative.Id),
            "received" => items.OrderBy(x => x.Initiative.SentAt).ThenBy(x => x.Initiative.Id),
            "-received" => items.OrderByDescending(x => x.Initiative.SentAt).ThenBy(x => x.Initiative.Id),
            _ => throw new DomainException("validation", "Ogiltig begäran", "sort är due, -due, received eller -received.", StatusCodes.Status400BadRequest),
        };
        var total = await items.CountAsync(ct);
        var rows = await items.Skip((page - 1) * pageSize).Take(pageSize)
            .Select(x => new InboxItem("InitiativeToAnswer", x.Initiative.Id, x.Case.Id, x.Case.Reference, x.Case.Urgency, x.Initiative.FromUnitId,
                x.Initiative.SentAt, x.Initiative.DueAt, x.Initiative.Status == InitiativeStatus.Overdue))
            .ToListAsync(ct);
        return TypedResults.Ok(new InboxPage(rows, total, page, pageSize, clock.GetUtcNow()));
    }
}

public sealed record InboxItem(string Kind, Guid ItemId, Guid CaseId, string CaseReference, Urgency Urgency, Guid FromUnitId,
    DateTimeOffset ReceivedAt, DateTimeOffset DueAt, bool Overdue);

public sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Total, int Page, int PageSize, DateTimeOffset AsOf);
