using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults.Auth;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Apis;

public static class StatisticsApi
{
    public static RouteGroupBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/statistics").WithTags("Statistik");
        api.MapGet("/initiatives", InitiativesByMunicipality).RequireAuthorization(SipPolicies.Statistician).WithSummary("Antal skickade SIP-initiativ per kommun och månad");
        api.MapGet("/plans", PlansByMunicipality).RequireAuthorization(SipPolicies.Statistician)
            .WithSummary("Antal signerade planer per kommun och månad, och andelen signerade inom 2 arbetsdagar efter mötet");
        api.MapGet("/meetings", MeetingsByMunicipality).RequireAuthorization(SipPolicies.Statistician)
            .WithSummary("KVÅ AU124 (SIP upprättad vid fysiskt möte med regionen) och AU125 (samordnad utskrivningsplan) per kommun och månad");
        api.MapGet("/first-meetings", FirstMeetingsByMunicipality).RequireAuthorization(SipPolicies.Statistician)
            .WithSummary("Tid från första initiativ till ärendets första möte: antal ärenden och median i kalenderdagar, per kommun och mötets månad");
        api.MapMeasuresApi();
        api.MapSurveyApi();
        return api;
    }

    public static async Task<Ok<MeetingCountResponse[]>> MeetingsByMunicipality(string? municipalityCode, ClaimsPrincipal principal, StatisticsDbContext db, CancellationToken ct)
    {
        var rows = await ForCallerAsync(db.MeetingCounts, principal, municipalityCode, ct);
        return TypedResults.Ok(rows.Select(c => new MeetingCountResponse(c.MunicipalityCode, c.Month, c.Au124, c.Au125)).ToArray());
    }

    public static async Task<Ok<FirstMeetingResponse[]>> FirstMeetingsByMunicipality(string? municipalityCode, ClaimsPrincipal principal, StatisticsDbContext db, CancellationToken ct)
    {
        var buckets = await ForCallerAsync(db.FirstMeetingWaits, principal, municipalityCode, ct);
        return TypedResults.Ok(buckets.GroupBy(b => (b.MunicipalityCode, b.Month))
            .Select(g => new FirstMeetingResponse(g.Key.MunicipalityCode, g.Key.Month, g.Sum(b => b.Cases),
                MeetingMeasures.Median([.. g.Select(b => (b.Days, b.Cases))]) ?? 0))
            .ToArray());
    }

    public static async Task<Ok<InitiativeCountResponse[]>> InitiativesByMunicipality(string? municipalityCode, ClaimsPrincipal principal, StatisticsDbContext db, CancellationToken ct)
    {
        var rows = await ForCallerAsync(db.InitiativeCounts, principal, municipalityCode, ct);
        return TypedResults.Ok(rows.Select(c => new InitiativeCountResponse(c.MunicipalityCode, c.Month, c.Initiatives)).ToArray());
    }

    public static async Task<Ok<PlanCountResponse[]>> PlansByMunicipality(string? municipalityCode, ClaimsPrincipal principal, StatisticsDbContext db, CancellationToken ct)
    {
        var rows = await ForCallerAsync(db.PlanCounts, principal, municipalityCode, ct);
        return TypedResults.Ok(rows.Select(c => new PlanCountResponse(c.MunicipalityCode, c.Month, c.PlansSigned, c.SignedWithinDeadline,
            Math.Round((double)c.SignedWithinDeadline / c.PlansSigned, 3))).ToArray());
    }

    /// <summary>The caller's tenant's rows, optionally one municipality's, by municipality and month.</summary>
    private static Task<List<T>> ForCallerAsync<T>(IQueryable<T> counts, ClaimsPrincipal principal, string? municipalityCode, CancellationToken ct)
        where T : class, IMonthlyCount
    {
        var tenant = SipUser.From(principal).TenantId;
        var query = counts.AsNoTracking().Where(c => c.TenantId == tenant);
        if (!string.IsNullOrEmpty(municipalityCode))
        {
            query = query.Where(c => c.MunicipalityCode == municipalityCode);
        }
        return query.OrderBy(c => c.MunicipalityCode).ThenBy(c => c.Month).ToListAsync(ct);
    }
}

public sealed record PlanCountResponse(string MunicipalityCode, DateOnly Month, long PlansSigned, long SignedWithinDeadline, double ShareWithinDeadline);

public sealed record InitiativeCountResponse(string MunicipalityCode, DateOnly Month, long Initiatives);

public sealed record MeetingCountResponse(string MunicipalityCode, DateOnly Month, long Au124, long Au125);

/// <summary>Cases whose first meeting was held in <see cref="Month"/>, and the median number of calendar days from their first initiative.</summary>
public sealed record FirstMeetingResponse(string MunicipalityCode, DateOnly Month, long FirstMeetings, double MedianDaysFromInitiative);
