namespace Sip.Statistics.Apis;

/// <summary>
/// <c>/api/v1/statistics</c>: every measure through one suppressed table endpoint (<see cref="MeasuresApi"/>). The first
/// per-municipality endpoints (<c>/initiatives</c>, <c>/plans</c>, <c>/meetings</c>, <c>/first-meetings</c>) showed counts of 1 as
/// they were and were fed by whole case and meeting events; they are gone with their tables.
/// </summary>
public static class StatisticsApi
{
    public static RouteGroupBuilder MapStatisticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/statistics").WithTags("Statistik");
        api.MapMeasuresApi();
        api.MapSurveyApi();
        return api;
    }
}
