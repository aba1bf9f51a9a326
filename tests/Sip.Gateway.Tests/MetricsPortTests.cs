using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Sip.Gateway.Tests;

/// <summary>
/// The gateway is what the ingress exposes, so with <c>Metrics:Port</c> set (as the chart sets it) its /metrics answers
/// only on that port, which only Prometheus may reach (NetworkPolicy); on the port the ingress sends traffic to it is a 404.
/// On a real Kestrel: which port a request came in on is what counts, not a Host header a caller can write.
/// </summary>
public sealed class MetricsPortTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task With_a_metrics_port_metrics_answer_only_there_and_the_public_port_says_404_whatever_the_host_header()
    {
        var (api, metrics) = (FreePort(), FreePort());
        await using var gateway = fixture.Gateway.WithWebHostBuilder(b => b.UseSetting("Metrics:Port", metrics.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        gateway.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, api);
            k.Listen(IPAddress.Loopback, metrics);
        });
        gateway.StartServer();
        using var http = new HttpClient();

        using (var scrape = await http.GetAsync($"http://127.0.0.1:{metrics}/metrics", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
            Assert.Contains("# TYPE", await scrape.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using (var outside = await http.GetAsync($"http://127.0.0.1:{api}/metrics", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
            Assert.DoesNotContain("# TYPE", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        using var forged = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{api}/metrics");
        forged.Headers.Host = $"sip.region.example:{metrics}";
        using (var withHost = await http.SendAsync(forged, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, withHost.StatusCode);
        }
        using var live = await http.GetAsync($"http://127.0.0.1:{api}/health/live", Ct);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Without_a_metrics_port_metrics_answer_on_the_one_port_as_locally()
    {
        using var client = fixture.Gateway.CreateClient();
        using var scrape = await client.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
    }
}
