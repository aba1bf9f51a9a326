using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.ServiceDefaults;

namespace Sip.Gateway.Tests;

public sealed class GatewayAuthenticationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_without_a_token_gets_a_swedish_unauthenticated_problem_and_never_reaches_the_service()
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);
        var path = "/api/v1/cases/" + Guid.NewGuid();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Problems.TypePrefix + "unauthenticated", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal("Inloggning krävs", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(fixture.Backend.Received, r => r.Path == path);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_rejected()
    {
        using var client = fixture.ClientFor(fixture.Gateway, fixture.Token("tenant-" + Guid.NewGuid(), keyFile: fixture.ForeignKeyFile));
        var path = "/api/v1/cases/" + Guid.NewGuid();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Problems.TypePrefix + "unauthenticated", problem.RootElement.GetProperty("type").GetString());
        Assert.DoesNotContain(fixture.Backend.Received, r => r.Path == path);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_rejected()
    {
        using var client = fixture.ClientFor(fixture.Gateway, fixture.Token("tenant-" + Guid.NewGuid(), audience: "some-other-api"));

        using var response = await client.GetAsync("/api/v1/cases/" + Guid.NewGuid(), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_rejected()
    {
        var twoHoursAgo = new FixedClock(DateTimeOffset.UtcNow.AddHours(-2));
        using var client = fixture.ClientFor(fixture.Gateway,
            fixture.Token("tenant-" + Guid.NewGuid(), clock: twoHoursAgo, lifetime: TimeSpan.FromHours(1)));

        using var response = await client.GetAsync("/api/v1/cases/" + Guid.NewGuid(), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/cases/")]
    [InlineData("/api/v1/consent/")]
    [InlineData("/api/v1/meetings/")]
    [InlineData("/api/v1/notifications/")]
    [InlineData("/api/v1/statistics/")]
    public async Task A_valid_token_reaches_the_service_with_the_callers_authorization_and_the_same_path(string prefix)
    {
        var token = fixture.Token("tenant-" + Guid.NewGuid());
        using var client = fixture.ClientFor(fixture.Gateway, token);
        var path = prefix + Guid.NewGuid() + "/initiatives";

        using var response = await client.GetAsync(path + "?page=2", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
        Assert.NotNull(echoed);
        Assert.Equal(path, echoed.Path);
        Assert.Equal("?page=2", echoed.Query);
        Assert.Equal("Bearer " + token, echoed.Authorization);
    }

    [Fact]
    public async Task Liveness_answers_without_a_token()
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);

        using var response = await client.GetAsync("/health/live", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task The_openapi_index_lists_every_service_without_a_token()
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);

        using var response = await client.GetAsync("/openapi", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        foreach (var cluster in GatewayFactory.Clusters)
        {
            Assert.Contains($"<a href=\"/openapi/{cluster}/v1.json\">{cluster}</a>", html, StringComparison.Ordinal);
        }
        // Only documents that exist: the staff web app is routed but has no API, so no dead link to it.
        Assert.Equal(GatewayFactory.Clusters.Length, html.Split("<li>").Length - 1);
        Assert.DoesNotContain("/openapi/web/", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_listed_openapi_document_is_fetched_from_its_service_without_a_token()
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);

        foreach (var cluster in GatewayFactory.Clusters)
        {
            using var response = await client.GetAsync($"/openapi/{cluster}/v1.json", Ct);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
            Assert.Equal("/openapi/v1.json", echoed?.Path);
            Assert.Null(echoed?.Authorization);
        }
    }
}
