using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults.Auth;

namespace Sip.MeetingScheduling.Apis;

public static class SummonsApi
{
    public static RouteGroupBuilder MapSummonsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meetings").WithTags("Möten");
        api.MapGet("/summons-due", ListSummonsDue).WithSummary("Ärenden där en kallelse till planeringsmöte ska skickas");
        return api;
    }

    public static async Task<Ok<SummonsDueResponse[]>> ListSummonsDue(Guid? caseId, ClaimsPrincipal principal, MeetingDbContext db, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var units = user.UnitIds.ToList();
        var query = db.SummonsDue.AsNoTracking().Where(s => s.TenantId == user.TenantId && s.UnitIds.Any(u => units.Contains(u)));
        if (caseId is { } id)
        {
            query = query.Where(s => s.CaseId == id);
        }
        var rows = await query.OrderBy(s => s.AnswersDueAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(s => new SummonsDueResponse(s.CaseId, s.CaseReference, s.UnitIds, s.FirstInitiativeAt, s.AnswersDueAt)).ToArray());
    }
}

public sealed record SummonsDueResponse(Guid CaseId, string CaseReference, IReadOnlyList<Guid> UnitIds, DateTimeOffset FirstInitiativeAt, DateTimeOffset AnswersDueAt);
