using System.Diagnostics.Metrics;
using Npgsql;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Infrastructure;

/// <summary>
/// How the SIP process is going, per tenant (never a case, unit or person): initiatives past their deadline and plans
/// late. Gauges read from a snapshot that <see cref="ProcessMetricsWorker"/> refreshes with one cheap query every
/// 30 s, so a scrape never touches the database. Every tenant with an open case has a series, 0 when nothing is late.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    public const string MeterName = "Sip.Case";
    private readonly Meter _meter;
    private volatile IReadOnlyList<TenantSnapshot> _snapshot = [];

    public ProcessMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("sip.case.initiatives_overdue",
            () => _snapshot.Select(s => new Measurement<long>(s.InitiativesOverdue, new KeyValuePair<string, object?>("tenant", s.Tenant))),
            description: "Initiatives of open cases not answered by their deadline");
        _meter.CreateObservableGauge("sip.case.plans_late",
            () => _snapshot.SelectMany(s => new[]
            {
                new Measurement<long>(s.PlansUnsigned, new("tenant", s.Tenant), new("reason", "unsigned")),
                new Measurement<long>(s.FollowUpsOverdue, new("tenant", s.Tenant), new("reason", "follow_up_overdue")),
            }),
            description: "Plans of open cases that are late: drafts not signed within two working days of the meeting (unsigned), "
                + "locked plans whose next follow-up date has passed (follow_up_overdue)");
    }

    public void Update(IReadOnlyList<TenantSnapshot> snapshot) => _snapshot = snapshot;

    public void Dispose() => _meter.Dispose();

    public sealed record TenantSnapshot(string Tenant, long InitiativesOverdue, long PlansUnsigned, long FollowUpsOverdue);
}

/// <summary>Refreshes <see cref="ProcessMetrics"/> every 30 s: a scan of the open cases, their initiatives and plans.</summary>
public sealed class ProcessMetricsWorker(NpgsqlDataSource dataSource, ProcessMetrics metrics, TimeProvider clock, ILogger<ProcessMetricsWorker> logger)
    : PeriodicWorker(clock, logger)
{
    // A follow-up is overdue the day after its date (Europe/Stockholm), like the coordinator's inbox counts it down.
    private const string Sql = $"""
        WITH open AS (SELECT id, tenant_id FROM {CaseDbContext.Schema}.cases WHERE status = 'Open'),
        overdue AS (
            SELECT o.tenant_id, count(*) AS n FROM {CaseDbContext.Schema}.initiatives i JOIN open o ON o.id = i.case_id
            WHERE i.status = 'Overdue' GROUP BY o.tenant_id),
        plans AS (
            SELECT o.tenant_id,
                   count(*) FILTER (WHERE p.status = 'Draft' AND p.late_at IS NOT NULL) AS unsigned,
                   count(*) FILTER (WHERE p.status = 'Locked'
                       AND COALESCE(p.content->'nextFollowUp'->>'date', p.content->'nextFollowUp'->>'noLaterThan')::date < @today) AS follow_up
            FROM {CaseDbContext.Schema}.plan_versions p JOIN open o ON o.id = p.case_id
            WHERE p.status IN ('Draft', 'Locked') GROUP BY o.tenant_id)
        SELECT t.tenant_id, COALESCE(overdue.n, 0), COALESCE(plans.unsigned, 0), COALESCE(plans.follow_up, 0)
        FROM (SELECT DISTINCT tenant_id FROM open) t
        LEFT JOIN overdue USING (tenant_id) LEFT JOIN plans USING (tenant_id)
        """;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(30);

    protected override string Name => "Process metrics";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("today", SwedishCalendar.Today(Clock.GetUtcNow()));
        var snapshot = new List<ProcessMetrics.TenantSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            snapshot.Add(new(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }
        metrics.Update(snapshot);
    }
}
