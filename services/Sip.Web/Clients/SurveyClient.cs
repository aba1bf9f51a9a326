using System.Net.Http.Json;
using Microsoft.Extensions.Caching.Memory;

namespace Sip.Web.Clients;

// SIP-kollen as this app reads it (the statistics service's survey API, see services/Sip.Statistics/Apis/SurveyApi.cs).

public sealed record SurveyMunicipality(string Code, string Name, string CountyCode, string CountyName);

public sealed record SurveyAnswer(string Code, string AgeBand, string Sex, string MunicipalityCode, bool Declined,
    int? Respect, int? Participation, int? Relevance, int? Structure, int? Information, string? PersonalCode);

public sealed record StatementChange(string Statement, int? Previous, int? Current, int? Change);

public sealed record SurveyReceipt(bool Declined, string? PersonalCode, int? Round, IReadOnlyList<StatementChange>? Comparison);

public sealed record SurveyCodeStatus(bool Usable, DateOnly ValidUntil);

/// <summary>
/// The anonymous survey endpoints, called through the gateway without any token: the respondent is not signed in, and a
/// member of staff who happens to be must not have their identity sent with someone's answer. The one-time code travels
/// in the request body only.
/// </summary>
internal sealed class SurveyClient(HttpClient http, IMemoryCache cache)
{
    private const string Survey = "api/v1/statistics/survey";

    public Task<ServiceResult<SurveyCodeStatus>> CheckAsync(string code, CancellationToken ct) =>
        ServiceCalls.SendAsync<SurveyCodeStatus>(http, new HttpRequestMessage(HttpMethod.Post, $"{Survey}/codes/check")
        {
            Content = JsonContent.Create(new { code }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<SurveyReceipt>> AnswerAsync(SurveyAnswer answer, CancellationToken ct) =>
        ServiceCalls.SendAsync<SurveyReceipt>(http, new HttpRequestMessage(HttpMethod.Post, $"{Survey}/answers")
        {
            Content = JsonContent.Create(answer, options: ServiceCalls.Json),
        }, ct);

    /// <summary>The municipalities an answer may name (public reference data), kept for an hour.</summary>
    public async Task<ServiceResult<IReadOnlyList<SurveyMunicipality>>> MunicipalitiesAsync(CancellationToken ct)
    {
        if (cache.TryGetValue(nameof(MunicipalitiesAsync), out IReadOnlyList<SurveyMunicipality>? known) && known is not null)
        {
            return new(known, null);
        }
        var result = await ServiceCalls.SendAsync<List<SurveyMunicipality>>(http, new HttpRequestMessage(HttpMethod.Get, $"{Survey}/municipalities"), ct);
        if (!result.Succeeded)
        {
            return new(null, result.Problem);
        }
        cache.Set(nameof(MunicipalitiesAsync), (IReadOnlyList<SurveyMunicipality>)result.Value!, TimeSpan.FromHours(1));
        return new(result.Value, null);
    }
}

public sealed record IssuedSurveyCode(string Code, DateOnly ValidUntil);

/// <summary>One-time codes for SIP-kollen, asked for by the signed-in member of staff (with their token) to hand out at a meeting.</summary>
internal sealed class SurveyCodesClient(HttpClient http)
{
    public Task<ServiceResult<IssuedSurveyCode>> IssueAsync(CancellationToken ct) =>
        ServiceCalls.SendAsync<IssuedSurveyCode>(http, new HttpRequestMessage(HttpMethod.Post, "api/v1/statistics/survey/codes"), ct);
}
