using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.ServiceDefaults;

namespace Sip.Gateway.Tests;

/// <summary>
/// SIP-kollen is answered without signing in: the gateway lets exactly the answer and code-check endpoints (the one-time
/// code is their authorisation) and the public list of municipalities through without a token, rate-limited per client
/// address; every other survey endpoint —
/// issuing codes, results, the league table — still needs a token.
/// </summary>
public sealed class SurveyRoutesTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/v1/statistics/survey/answers")]
    [InlineData("/api/v1/statistics/survey/codes/check")]
    [InlineData("/api/v1/statistics/survey/municipalities")]
    public async Task The_answer_code_check_and_municipality_list_reach_the_statistics_service_without_a_token(string path)
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);

        using var response = path.EndsWith("/municipalities", StringComparison.Ordinal)
            ? await client.GetAsync(path, Ct)
            : await client.PostAsJsonAsync(path, new { code = "ABCD-EFGH" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
        Assert.Equal(path, echoed!.Path);
        Assert.Null(echoed.Authorization);
    }

    [Theory]
    [InlineData("GET", "/api/v1/statistics/survey/results")]
    [InlineData("GET", "/api/v1/statistics/survey/league")]
    [InlineData("POST", "/api/v1/statistics/survey/codes")]
    [InlineData("GET", "/api/v1/statistics/survey/answers")]
    [InlineData("POST", "/api/v1/statistics/survey/answers/extra")]
    public async Task Every_other_survey_endpoint_needs_a_token_and_is_never_reached_without_one(string method, string path)
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);
        // The echo backend is shared with the tests that post to the anonymous routes: count, do not look for absence.
        var before = fixture.Backend.Received.Count(r => r.Path == path);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Problems.TypePrefix + "unauthenticated", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(before, fixture.Backend.Received.Count(r => r.Path == path));
    }

    [Fact]
    public async Task Guessing_codes_from_one_address_is_stopped_with_a_swedish_429()
    {
        await using var gateway = new GatewayFactory("Development", fixture.DevKeyFile, fixture.Backend.Address, anonymousPermitsPerMinute: 3);
        using var client = fixture.ClientFor(gateway, token: null);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/statistics/survey/codes/check", new { code = $"GUES-S{i}AA" }, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
                Assert.Equal("För många förfrågningar", problem.RootElement.GetProperty("title").GetString());
                Assert.Contains("samma adress", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
