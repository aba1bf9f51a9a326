using System.Net;
using System.Net.Http.Json;

namespace Sip.Gateway.Tests;

public sealed class CorrelationIdTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Header = "X-Correlation-Id";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Returned, EchoedRequest Seen)> SendAsync(string? correlationId)
    {
        using var client = fixture.ClientFor(fixture.Gateway, fixture.Token("tenant-" + Guid.NewGuid()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases/" + Guid.NewGuid());
        if (correlationId is not null)
        {
            request.Headers.TryAddWithoutValidation(Header, correlationId);
        }
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
        Assert.NotNull(seen);
        return (Assert.Single(response.Headers.GetValues(Header)), seen);
    }

    [Fact]
    public async Task A_missing_correlation_id_is_generated_passed_on_and_returned()
    {
        var (returned, seen) = await SendAsync(null);

        Assert.Matches("^[0-9a-f]{32}$", returned);
        Assert.Equal(returned, seen.CorrelationId);
    }

    [Fact]
    public async Task Each_request_without_one_gets_its_own_correlation_id()
    {
        var (first, _) = await SendAsync(null);
        var (second, _) = await SendAsync(null);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("support-2026_03.ticket-17")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("a")]
    public async Task A_well_formed_correlation_id_is_kept_passed_on_and_returned(string id)
    {
        var (returned, seen) = await SendAsync(id);

        Assert.Equal(id, returned);
        Assert.Equal(id, seen.CorrelationId);
    }

    [Fact]
    public async Task A_sixty_four_character_correlation_id_is_kept()
    {
        var id = new string('x', 64);

        var (returned, seen) = await SendAsync(id);

        Assert.Equal((id, id), (returned, seen.CorrelationId));
    }

    [Theory]
    [InlineData("has spaces in it")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("semi;colon")]
    [InlineData("19121212-1212/åäö")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")] // 65 characters
    public async Task A_malformed_correlation_id_is_replaced(string id)
    {
        var (returned, seen) = await SendAsync(id);

        Assert.NotEqual(id, returned);
        Assert.Matches("^[0-9a-f]{32}$", returned);
        Assert.Equal(returned, seen.CorrelationId);
    }

    [Fact]
    public async Task A_rejected_request_still_returns_its_correlation_id()
    {
        using var client = fixture.ClientFor(fixture.Gateway, token: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases/" + Guid.NewGuid());
        request.Headers.Add(Header, "support-ticket-42");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("support-ticket-42", Assert.Single(response.Headers.GetValues(Header)));
    }
}
