using System.Net;
using System.Text.Json;
using Sip.ServiceDefaults;

namespace Sip.Gateway.Tests;

public sealed class TenantRateLimitTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const int Burst = 3;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_the_burst_the_tenant_gets_429_while_another_tenant_still_passes()
    {
        // One permit a second: a tenant's bucket only starts refilling a second after its first request,
        // so Burst + 1 quick requests find it empty.
        await using var gateway = new GatewayFactory("Development", fixture.DevKeyFile, fixture.Backend.Address, permitsPerSecond: 1, burst: Burst);
        using var warmUp = fixture.ClientFor(gateway, fixture.Token("warm-up-" + Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.OK, (await warmUp.GetAsync("/api/v1/cases/warm-up", Ct)).StatusCode);

        using var busy = fixture.ClientFor(gateway, fixture.Token("busy-" + Guid.NewGuid()));
        using var quiet = fixture.ClientFor(gateway, fixture.Token("quiet-" + Guid.NewGuid()));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst; i++)
        {
            using var ok = await busy.GetAsync("/api/v1/cases/within-burst", Ct);
            statuses.Add(ok.StatusCode);
        }
        using var limited = await busy.GetAsync("/api/v1/cases/over-the-limit", Ct);
        using var other = await quiet.GetAsync("/api/v1/cases/other-tenant", Ct);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Problems.TypePrefix + "rate-limited", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(fixture.Backend.Received, r => r.Path == "/api/v1/cases/over-the-limit");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
