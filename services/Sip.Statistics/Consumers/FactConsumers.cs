using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Statistics;
using Sip.Messaging;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Consumers;

/// <summary>
/// Adds a fact to the cube: one count per series, month, dimensions, bucket and outcome. Nothing kept names a case, a
/// person or an event; a redelivered fact is recognised by the inbox and counted once.
/// </summary>
public abstract class FactConsumer<T>(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : IdempotentConsumer<T, StatisticsDbContext>(db, metrics) where T : class, Sip.Contracts.IIntegrationEvent
{
    protected abstract StatisticsDimensions Dimensions(T fact);

    protected abstract IEnumerable<FactEntry> Entries(T fact);

    protected override async Task HandleAsync(T message, CancellationToken ct)
    {
        await FactCells.LogAsync(Db, message, ct);
        await FactCells.AddAsync(Db, [.. Entries(message).SelectMany(entry => FactCube.Rollups(message.TenantId, Dimensions(message), entry))], ct);
        statistics.FactCounted(typeof(T).Name);
    }
}

public sealed class InitiativeSentFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<InitiativeSentFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(InitiativeSentFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(InitiativeSentFact fact) => FactCube.Entries(fact);
}

public sealed class InitiativeAnsweredFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<InitiativeAnsweredFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(InitiativeAnsweredFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(InitiativeAnsweredFact fact) => FactCube.Entries(fact);
}

public sealed class PlanEstablishedFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<PlanEstablishedFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(PlanEstablishedFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(PlanEstablishedFact fact) => FactCube.Entries(fact);
}

public sealed class MeetingHeldFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<MeetingHeldFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(MeetingHeldFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(MeetingHeldFact fact) => FactCube.Entries(fact);
}

public sealed class LusDeadlineFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<LusDeadlineFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(LusDeadlineFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(LusDeadlineFact fact) => FactCube.Entries(fact);
}

public sealed class ActivityOutcomeFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<ActivityOutcomeFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(ActivityOutcomeFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(ActivityOutcomeFact fact) => FactCube.Entries(fact);
}

public sealed class GoalEvaluatedFactConsumer(StatisticsDbContext db, MessagingMetrics metrics, StatisticsMetrics statistics)
    : FactConsumer<GoalEvaluatedFact>(db, metrics, statistics)
{
    protected override StatisticsDimensions Dimensions(GoalEvaluatedFact fact) => fact.Dimensions;
    protected override IEnumerable<FactEntry> Entries(GoalEvaluatedFact fact) => FactCube.Entries(fact);
}

/// <summary>Writes to the cube table <c>statistics.rollups</c> and the replay log <c>statistics.fact_log</c>.</summary>
public static class FactCells
{
    public static Task LogAsync<T>(StatisticsDbContext db, T fact, CancellationToken ct) where T : Sip.Contracts.IIntegrationEvent =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO statistics.fact_log (event_id, fact_type, payload, received_at)
            VALUES ({fact.EventId}, {typeof(T).Name}, {System.Text.Json.JsonSerializer.Serialize(fact, Domain.Rebuild.Json)}::jsonb, now())
            ON CONFLICT (event_id) DO NOTHING
            """, ct);

    /// <summary>
    /// Counts one fact's rollup rows in one statement. One statement per row was a statement-level trigger run each (the
    /// month's cube version) and a lock on the month's version row taken at the first of them and held to the commit:
    /// every statistics consumer queued on that row, each holding a connection (issue 14: 26 ms per statement, and a
    /// burst of facts used up a stock server's connection slots in CI). Rows go in key order, so two facts lock shared
    /// rows in the same order.
    /// </summary>
    public static Task AddAsync(StatisticsDbContext db, IReadOnlyList<RollupKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
        {
            return Task.CompletedTask;
        }
        string[] tenants = [.. keys.Select(k => k.TenantId)], dimensions = [.. keys.Select(k => k.Dimension)], series = [.. keys.Select(k => k.Series)],
            groups = [.. keys.Select(k => k.Grp)], regions = [.. keys.Select(k => k.RegionCode)], municipalities = [.. keys.Select(k => k.MunicipalityCode)],
            units = [.. keys.Select(k => k.UnitId)];
        DateOnly[] months = [.. keys.Select(k => k.Month)];
        int[] values = [.. keys.Select(k => k.Value)];
        bool[] outcomes = [.. keys.Select(k => k.Outcome)];
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO statistics.rollups (tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome, count)
            SELECT tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome, count(*)
            FROM unnest({tenants}::text[], {dimensions}::text[], {series}::text[], {months}::date[], {groups}::text[], {regions}::text[],
                        {municipalities}::text[], {units}::text[], {values}::int[], {outcomes}::bool[])
                 AS k (tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome)
            GROUP BY tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome
            ORDER BY tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome
            ON CONFLICT (tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome)
            DO UPDATE SET count = rollups.count + excluded.count
            """, ct);
    }
}
