using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults.Auth;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Apis;

public static class StatisticsApi
{
    public static RouteGroupBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/statistics").WithTags("Statistik");
        api.MapGet("/initiatives", InitiativesByMunicipality).RequireAuthorization(SipPolicies.Statistician).WithSummary("Antal skickade SIP-initiativ per kommun och månad");
        return api;
    }

    public static async Task<Ok<InitiativeCountResponse[]>> InitiativesByMunicipality(string? municipalityCode, ClaimsPrincipal principal, StatisticsDbContext db, CancellationToken ct)
    {
        var tenant = SipUser.From(principal).TenantId;
        var query = db.InitiativeCounts.AsNoTracking().Where(c => c.TenantId == tenant);
        if (!string.IsNullOrEmpty(municipalityCode))
        {
            query = query.Where(c => c.MunicipalityCode == municipalityCode);
        }
        var rows = await query.OrderBy(c => c.MunicipalityCode).ThenBy(c => c.Month).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(c => new InitiativeCountResponse(c.MunicipalityCode, c.Month, c.Initiatives)).ToArray());
    }
}

public sealed record InitiativeCountResponse(string MunicipalityCode, DateOnly Month, long Initiatives);
