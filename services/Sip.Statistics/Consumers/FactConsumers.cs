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
        foreach (var entry in Entries(message))
        {
            foreach (var key in FactCube.Rollups(message.TenantId, Dimensions(message), entry))
            {
                await FactCells.AddAsync(Db, key, ct);
            }
        }
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

    public static Task AddAsync(StatisticsDbContext db, RollupKey k, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO statistics.rollups (tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome, count)
            VALUES ({k.TenantId}, {k.Dimension}, {k.Series}, {k.Month}, {k.Grp}, {k.RegionCode}, {k.MunicipalityCode}, {k.UnitId}, {k.Value}, {k.Outcome}, 1)
            ON CONFLICT (tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome)
            DO UPDATE SET count = rollups.count + 1
            """, ct);
}
