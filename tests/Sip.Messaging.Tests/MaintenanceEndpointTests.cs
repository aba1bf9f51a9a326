using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Messaging.Tests;

/// <summary>The operator's view of parked outbox rows: served on the metrics port only, listing what and why, replaying on request.</summary>
public sealed class MaintenanceEndpointTests(PostgresFixture postgres, RabbitMqFixture rabbit)
{
    private readonly MessagingTestBase _t = new(postgres, rabbit);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Parked_rows_are_listed_and_replayed_on_the_metrics_port_and_nowhere_else()
    {
        var cs = await _t.CleanSchemaAsync();
        var parked = MessagingTestBase.NewEvent();
        await MessagingTestBase.CommitAsync(cs, parked, MessagingTestBase.NewEvent());
        await _t.CountAsync($"UPDATE msgtest.outbox_messages SET parked_at = now(), failures = 10, last_error = 'UnpublishableMessageException: Unknown message type' WHERE id = '{parked.EventId}' RETURNING 1");
        var (api, metrics) = (FreePort(), FreePort());
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{api}", $"http://127.0.0.1:{metrics}");
        builder.Configuration.AddInMemoryCollection(rabbit.Configuration());
        builder.Configuration["Metrics:Port"] = metrics.ToString(CultureInfo.InvariantCulture);
        builder.Services.AddSingleton(ServiceDatabaseRegistration.CreateDataSource(cs, "maintenance-test"));
        builder.AddSipMessaging($"svc-{Guid.NewGuid():N}"[..12], TestDb.Schema);
        builder.Services.PostConfigure<MessagingOptions>(o => o.DispatcherEnabled = false); // the row stays where the test put it
        await using var app = builder.Build();
        app.MapMaintenanceEndpoints();
        await app.StartAsync(Ct);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{api}/maintenance/outbox/parked", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"http://127.0.0.1:{api}/maintenance/outbox/parked/replay", null, Ct)).StatusCode);
        Assert.Equal(1, await _t.CountAsync("SELECT count(*) FROM msgtest.outbox_messages WHERE parked_at IS NOT NULL"));

        var listed = Assert.Single((await http.GetFromJsonAsync<ParkedOutboxMessage[]>($"http://127.0.0.1:{metrics}/maintenance/outbox/parked", Ct))!);
        Assert.Equal((parked.EventId, parked.UnitId.ToString(), 10), (listed.Id, listed.AggregateId, listed.Failures));
        Assert.Contains("Unknown message type", listed.LastError, StringComparison.Ordinal);

        using var replay = await http.PostAsync($"http://127.0.0.1:{metrics}/maintenance/outbox/parked/replay?id={parked.EventId}", null, Ct);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<OutboxMaintenance.ReplayResult>(Ct))!.Replayed);
        Assert.Equal(0, await _t.CountAsync($"SELECT count(*) FROM msgtest.outbox_messages WHERE parked_at IS NOT NULL OR failures > 0"));
        await app.StopAsync(CancellationToken.None);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
