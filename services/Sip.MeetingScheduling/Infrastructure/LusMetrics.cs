using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Sip.MeetingScheduling.Domain;
using Sip.ServiceDefaults;

namespace Sip.MeetingScheduling.Infrastructure;

/// <summary>
/// LUS deadlines passed and still unmet, per tenant and obligation (never a case or unit). The gauge reads a snapshot
/// that <see cref="LusMetricsWorker"/> refreshes every 30 s; every tenant this service knows a case of has a series per
/// obligation, 0 when nothing is breached. When a breach happens, <c>sip_scheduled_events_fired_total{event="LusDeadlineBreached"}</c>
/// counts it (the timer that tells it).
/// </summary>
public sealed class LusMetrics : IDisposable
{
    public const string MeterName = "Sip.MeetingScheduling";
    public static readonly string[] Obligations = ["Summons", "MeetingBeforeDischarge", "MeetingAfterDischarge"];
    private readonly Meter _meter;
    private volatile IReadOnlyDictionary<(string Tenant, string Obligation), long> _breached = new Dictionary<(string, string), long>();

    public LusMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("sip.lus.deadlines_breached",
            () => _breached.Select(b => new Measurement<long>(b.Value, new("tenant", b.Key.Tenant), new("obligation", b.Key.Obligation))),
            description: "LUS deadlines of open discharge cases that passed unmet (summons within 3 days, meeting before or within 4 weeks of discharge)");
    }

    public void Update(IReadOnlyDictionary<(string Tenant, string Obligation), long> breached) => _breached = breached;

    public void Dispose() => _meter.Dispose();
}

/// <summary>Refreshes <see cref="LusMetrics"/> every 30 s from the discharge watches that can be breached, by the domain's own rule.</summary>
public sealed class LusMetricsWorker(IServiceScopeFactory scopes, LusMetrics metrics, TimeProvider clock, ILogger<LusMetricsWorker> logger)
    : PeriodicWorker(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(30);

    protected override string Name => "LUS metrics";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var summonsDue = now - DischargeWatch.SummonsWithin;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MeetingDbContext>();
        var tenants = await db.Cases.Select(c => c.TenantId).Distinct().ToListAsync(ct);
        // Only watches that can hold a passed deadline; which deadlines are open is the domain's rule (OpenDeadlines).
        var candidates = await db.DischargeWatches.AsNoTracking()
            .Where(w => !w.Ended && ((w.ReadyForDischargeAt != null && w.FirstPlanningSummonsAt == null && w.ReadyForDischargeAt <= summonsDue)
                || (w.DischargedAt != null && w.DischargedAt <= now)))
            .ToListAsync(ct);
        var breached = new Dictionary<(string, string), long>();
        foreach (var tenant in tenants.Concat(candidates.Select(w => w.TenantId)).Distinct())
        {
            foreach (var obligation in LusMetrics.Obligations)
            {
                breached[(tenant, obligation)] = 0;
            }
        }
        foreach (var watch in candidates)
        {
            foreach (var deadline in watch.OpenDeadlines().Where(d => d.DueAt <= now))
            {
                breached[(watch.TenantId, deadline.Obligation)] = breached.GetValueOrDefault((watch.TenantId, deadline.Obligation)) + 1;
            }
        }
        metrics.Update(breached);
    }
}
