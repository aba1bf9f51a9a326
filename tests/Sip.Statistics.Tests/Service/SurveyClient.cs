using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;

namespace Sip.Statistics.Tests.Service;

/// <summary>One SIP-kollen answer as the form posts it; null statements are "vet inte".</summary>
internal sealed record Answer(string Municipality, string AgeBand = "18-64", string Sex = "Female", bool Declined = false,
    int? Respect = null, int? Participation = null, int? Relevance = null, int? Structure = null, int? Information = null, string? PersonalCode = null);

internal static class SurveyClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpClient Coordinator(this StatisticsServiceHost host, string tenant) => host.As("coordinator-1", tenant, SipRoles.Staff);

    public static async Task<string> IssueCodeAsync(this HttpClient coordinator)
    {
        using var response = await coordinator.PostAsync("/api/v1/statistics/survey/codes", null, Ct);
        return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("code").GetString()!;
    }

    public static Task<HttpResponseMessage> PostAnswerAsync(this HttpClient anonymous, string code, Answer a) =>
        anonymous.PostAsJsonAsync("/api/v1/statistics/survey/answers", new
        {
            code,
            ageBand = a.AgeBand,
            sex = a.Sex,
            municipalityCode = a.Municipality,
            declined = a.Declined,
            respect = a.Respect,
            participation = a.Participation,
            relevance = a.Relevance,
            structure = a.Structure,
            information = a.Information,
            personalCode = a.PersonalCode,
        }, Ct);

    /// <summary>A fresh code from the tenant's coordinator, answered anonymously; the receipt.</summary>
    public static async Task<JsonElement> AnswerAsync(this StatisticsServiceHost host, string tenant, Answer a)
    {
        using var coordinator = host.Coordinator(tenant);
        var code = await coordinator.IssueCodeAsync();
        using var anonymous = host.Anonymous();
        using var response = await anonymous.PostAnswerAsync(code, a);
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<SurveyCellView[]> SurveyTableAsync(this HttpClient statistician, string by)
    {
        using var response = await statistician.GetAsync($"/api/v1/statistics/survey/results?by={by}", Ct);
        return (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("cells").Deserialize<SurveyCellView[]>(Json)!;
    }

    /// <summary>The problem's type slug and title, after asserting the status and that it is a problem document.</summary>
    public static async Task<(string Slug, string Title, string? Detail)> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync(status);
        return (problem.GetProperty("type").GetString()!["urn:sip:problem:".Length..], problem.GetProperty("title").GetString()!,
            problem.TryGetProperty("detail", out var d) ? d.GetString() : null);
    }
}

internal sealed record StatementView(string Statement, long? Answered, double? Mean, double? ShareAgreeing);

internal sealed record SurveyCellView(int Year, string Group, string Name, bool Total, long? Responses, long? Answered, long? Declined,
    StatementView[]? Statements, bool Suppressed);
