using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Sip.ServiceDefaults;

namespace Sip.Gateway;

/// <summary>
/// Admission control: at most <see cref="GatewayOptions.MaxConcurrentApiRequests"/> API requests are forwarded by this
/// gateway at once; one more is answered 503 at once, with <c>Retry-After</c>, instead of queueing behind the others.
/// Without it, a peak above what the services can serve piles every request into them: latencies grow to seconds for
/// everyone, the services' own gRPC calls time out, their circuit breakers open, and then every API answers 503 until
/// the backlog drains (docs/benchmarks.md, runs T, W and Y at 1×). With it, the requests let in are served at about
/// the services' pace and the rest learn at once to come back: at 1×, p99 0.17× of without at 0.94× the right answers
/// (run AE). Only <c>/api/</c> is limited: a page of the web app
/// costs its API calls, which come back through here and are counted then.
/// </summary>
public sealed class AdmissionControl : IDisposable
{
    public const string MeterName = "Sip.Gateway";
    private readonly ConcurrencyLimiter? _limiter;
    private readonly int _permitLimit;
    private long _shed;

    public AdmissionControl(GatewayOptions options, IMeterFactory meterFactory)
    {
        _permitLimit = options.MaxConcurrentApiRequests;
        if (_permitLimit > 0)
        {
            _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
            {
                PermitLimit = _permitLimit,
                QueueLimit = 0,
            });
        }
        var meter = meterFactory.Create(MeterName);
        // Observed, not added to, so that the series exists (at 0) before the first request is shed: alerts and
        // dashboards query it on a platform that never was overloaded.
        meter.CreateObservableCounter("sip.gateway.requests_shed", () => Interlocked.Read(ref _shed),
            description: "API requests answered 503 because this gateway already forwarded as many as it lets in at once");
        meter.CreateObservableGauge("sip.gateway.requests_admitted", () => InFlight,
            description: "API requests this gateway is forwarding now, of the most it lets in at once");
        meter.CreateObservableGauge("sip.gateway.requests_admitted_limit", () => _permitLimit,
            description: "The most API requests this gateway forwards at once (0: no limit)");
    }

    /// <summary>API requests forwarded now (0 without a limit: they are not counted then).</summary>
    public long InFlight => _limiter?.GetStatistics() is { } s ? _permitLimit - s.CurrentAvailablePermits : 0;

    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (_limiter is null || !context.Request.Path.StartsWithSegments("/api"))
        {
            await next();
            return;
        }
        using var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Interlocked.Increment(ref _shed);
            context.Response.Headers.RetryAfter = "1";
            await Problems.Create(StatusCodes.Status503ServiceUnavailable, "overloaded", "Plattformen är hårt belastad",
                "Just nu kommer fler förfrågningar än tjänsterna hinner med. Ingenting har ändrats; försök igen om en stund.")
                .ExecuteAsync(context);
            return;
        }
        await next();
    }

    public void Dispose() => _limiter?.Dispose();
}
