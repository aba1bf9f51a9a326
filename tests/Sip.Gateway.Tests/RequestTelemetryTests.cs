using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Sip.Gateway.Tests;

/// <summary>
/// What the gateway records of a request when no trace collector is configured (as in these tests):
/// log lines carry the correlation id, and no trace context is made per request only to be dropped.
/// </summary>
public sealed class RequestTelemetryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The gateway with a log provider that keeps each entry's scopes, as a log shipper would.</summary>
    private (WebApplicationFactory<Program> Gateway, ScopeRecorder Logs) GatewayWithLogs()
    {
        var logs = new ScopeRecorder();
        var gateway = fixture.Gateway.WithWebHostBuilder(b => b.ConfigureLogging(l => l
            .AddProvider(logs)
            .AddFilter("Microsoft.AspNetCore.Authentication", LogLevel.Information)));
        return (gateway, logs);
    }

    [Fact]
    public async Task Without_a_trace_collector_no_trace_context_is_passed_on()
    {
        var (gateway, _) = GatewayWithLogs();
        using var client = fixture.ClientFor(gateway, fixture.Token("tenant-" + Guid.NewGuid()));

        using var response = await client.GetAsync("/api/v1/cases/" + Guid.NewGuid(), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
        Assert.NotNull(seen);
        Assert.Null(seen.TraceParent);
        Assert.NotNull(seen.CorrelationId);
    }

    [Fact]
    public async Task A_log_line_written_during_a_request_carries_its_correlation_id()
    {
        var (gateway, logs) = GatewayWithLogs();
        using var client = fixture.ClientFor(gateway, fixture.Token("tenant-" + Guid.NewGuid(), keyFile: fixture.ForeignKeyFile));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases/" + Guid.NewGuid());
        request.Headers.Add("X-Correlation-Id", "support-ticket-4711");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var duringRequest = logs.Entries.Where(e => e.Category.Contains("JwtBearer", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(duringRequest); // the rejected token is logged
        Assert.All(duringRequest, entry => Assert.Contains(new KeyValuePair<string, object?>("CorrelationId", "support-ticket-4711"),
            entry.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s)));
    }

    [Fact]
    public async Task A_refused_request_is_one_security_warning_with_route_caller_and_why_and_the_answer_is_neither_sniffed_nor_cached()
    {
        var (gateway, logs) = GatewayWithLogs();
        var tenant = "tenant-" + Guid.NewGuid();
        using var forged = fixture.ClientFor(gateway, fixture.Token(tenant, keyFile: fixture.ForeignKeyFile));
        var path = "/api/v1/cases/" + Guid.NewGuid();
        using var request = new HttpRequestMessage(HttpMethod.Get, path + "?identifier=" + Uri.EscapeDataString("19121212-1212"));
        request.Headers.Add("X-Correlation-Id", "security-review-17");

        using var refused = await forged.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("nosniff", refused.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(refused.Headers.CacheControl?.NoStore, "an API answer is not to be cached");
        var security = Assert.Single(logs.Entries, e => e.Category == "Sip.Security");
        Assert.Equal(LogLevel.Warning, security.Level);
        Assert.Contains("401 GET " + path, security.Message, StringComparison.Ordinal);
        Assert.Contains("SecurityToken", security.Message, StringComparison.Ordinal); // why: the signature's key is unknown
        Assert.DoesNotContain("19121212", security.Message, StringComparison.Ordinal); // never the query
        Assert.Contains(new KeyValuePair<string, object?>("CorrelationId", "security-review-17"),
            security.Scopes.OfType<IEnumerable<KeyValuePair<string, object?>>>().SelectMany(s => s));

        // A request that is let through is no security event.
        using var allowed = fixture.ClientFor(gateway, fixture.Token(tenant));
        using var ok = await allowed.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Single(logs.Entries, e => e.Category == "Sip.Security");
    }

    private sealed class ScopeRecorder : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Category, List<object?> Scopes, LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Recorder(ScopeRecorder owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<object?>();
                owner._scopes.ForEachScope((scope, list) => list.Add(scope), scopes);
                owner.Entries.Enqueue((category, scopes, logLevel, formatter(state, exception)));
            }
        }
    }
}
