using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sip.ServiceDefaults;

namespace Sip.Gateway.Tests;

/// <summary>
/// The gateway forwards at most <c>Gateway:MaxConcurrentApiRequests</c> API requests at once and answers the next one
/// 503 at once, instead of piling it onto services that are already behind.
/// </summary>
public sealed class AdmissionControlTests : IAsyncLifetime
{
    private const string HeldPath = "/api/v1/cases/held";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly GatewayFixture _keys = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EchoBackend _held = null!;

    public async ValueTask InitializeAsync()
    {
        await _keys.InitializeAsync();
        // A backend that answers only when the test says so, for the one path the test holds.
        _held = await EchoBackend.StartAsync(context => context.Request.Path == HeldPath ? _release.Task : Task.CompletedTask);
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        await _held.DisposeAsync();
        await _keys.DisposeAsync();
    }

    [Fact]
    public async Task Past_the_limit_an_API_request_gets_503_with_retry_after_and_never_reaches_the_service_until_one_is_answered()
    {
        await using var gateway = new GatewayFactory("Development", _keys.DevKeyFile, _held.Address, maxConcurrentApiRequests: 2);
        using var client = _keys.ClientFor(gateway, _keys.Token("tenant-" + Guid.NewGuid()));
        using var shed = new ShedCounter(gateway.Services.GetRequiredService<IMeterFactory>());
        var held = new[] { client.GetAsync(HeldPath, Ct), client.GetAsync(HeldPath, Ct) };
        await WaitUntilAsync(() => _held.Received.Count(r => r.Path == HeldPath) == 2);

        using var refused = await client.GetAsync("/api/v1/cases/one-too-many", Ct);
        using var page = await client.GetAsync("/moten/idag", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal(Problems.TypePrefix + "overloaded", problem.RootElement.GetProperty("type").GetString());
            Assert.Equal("Plattformen är hårt belastad", problem.RootElement.GetProperty("title").GetString());
        }
        Assert.DoesNotContain(_held.Received, r => r.Path == "/api/v1/cases/one-too-many");
        Assert.Equal(1, shed.Total);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode); // only the API is limited: a page's API calls are counted
        Assert.Contains(_held.Received, r => r.Path == "/moten/idag");

        _release.SetResult();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        using var afterwards = await client.GetAsync("/api/v1/cases/afterwards", Ct);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.Equal(1, shed.Total);
    }

    [Fact]
    public async Task With_the_limit_at_zero_every_API_request_is_forwarded()
    {
        await using var gateway = new GatewayFactory("Development", _keys.DevKeyFile, _held.Address, maxConcurrentApiRequests: 0);
        using var client = _keys.ClientFor(gateway, _keys.Token("tenant-" + Guid.NewGuid()));
        var held = Enumerable.Range(0, 5).Select(_ => client.GetAsync(HeldPath, Ct)).ToList();

        await WaitUntilAsync(() => _held.Received.Count(r => r.Path == HeldPath) == 5);
        _release.SetResult();

        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>The shed counter of one gateway (its own meter factory), read as the metrics exporter reads it.</summary>
    private sealed class ShedCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public ShedCounter(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == AdmissionControl.MeterName && instrument.Meter.Scope == factory
                    && instrument.Name == "sip.gateway.requests_shed")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _total = value);
            _listener.Start();
        }

        /// <summary>The counter's value now, as a scrape reads it.</summary>
        public long Total
        {
            get
            {
                _listener.RecordObservableInstruments();
                return _total;
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
