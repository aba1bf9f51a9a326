using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sip.Contracts.Statistics;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Domain;

/// <summary>
/// Rebuilds the cube from the fact log: the same <see cref="FactCube"/> functions the consumers use, over every fact
/// received, summed in memory and written in one transaction that replaces the cube — so a rebuild yields the figures the
/// live run did, and readers see the old cube or the new one, never half of it. Run with <c>rebuild</c> as the argument.
/// </summary>
public static class Rebuild
{
    public const string Command = "rebuild";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The cube entries of one logged fact, by its type name.</summary>
    public static IEnumerable<(string TenantId, StatisticsDimensions Dimensions, FactEntry Entry)> Entries(string factType, string payload)
    {
        (string, StatisticsDimensions, IEnumerable<FactEntry>) read = factType switch
        {
            nameof(InitiativeSentFact) => From<InitiativeSentFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            nameof(InitiativeAnsweredFact) => From<InitiativeAnsweredFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            nameof(PlanEstablishedFact) => From<PlanEstablishedFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            nameof(MeetingHeldFact) => From<MeetingHeldFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            nameof(LusDeadlineFact) => From<LusDeadlineFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            nameof(ActivityOutcomeFact) => From<ActivityOutcomeFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            nameof(GoalEvaluatedFact) => From<GoalEvaluatedFact>(payload, f => (f.TenantId, f.Dimensions, FactCube.Entries(f))),
            _ => throw new InvalidOperationException($"unknown fact type {factType}"),
        };
        return read.Item3.Select(e => (read.Item1, read.Item2, e));

        static (string, StatisticsDimensions, IEnumerable<FactEntry>) From<T>(string json, Func<T, (string, StatisticsDimensions, IEnumerable<FactEntry>)> map) =>
            map(JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidOperationException("empty fact"));
    }

    /// <summary>Replays the log into a new cube; returns how many facts were replayed.</summary>
    public static async Task<long> RunAsync(StatisticsDbContext db, CancellationToken ct)
    {
        var cube = new Dictionary<RollupKey, long>();
        var facts = 0L;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(ct);
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Facts arriving meanwhile wait for the rebuild (they write the cube), so none is counted twice or lost.
        await using (var lockCube = new NpgsqlCommand("LOCK TABLE statistics.rollups IN EXCLUSIVE MODE", connection, tx))
        {
            await lockCube.ExecuteNonQueryAsync(ct);
        }
        await using (var read = new NpgsqlCommand("SELECT fact_type, payload::text FROM statistics.fact_log ORDER BY event_id", connection, tx))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                facts++;
                foreach (var (tenant, d, e) in Entries(reader.GetString(0), reader.GetString(1)))
                {
                    foreach (var key in FactCube.Rollups(tenant, d, e))
                    {
                        cube[key] = cube.GetValueOrDefault(key) + 1;
                    }
                }
            }
        }
        await using (var clear = new NpgsqlCommand("DELETE FROM statistics.rollups", connection, tx))
        {
            await clear.ExecuteNonQueryAsync(ct);
        }
        await WriteAsync(connection, cube, ct);
        await tx.CommitAsync(ct);
        return facts;
    }

    /// <summary>Writes summed rollup rows with COPY (the rebuild's and the data generator's way in).</summary>
    public static async Task WriteAsync(NpgsqlConnection connection, IEnumerable<KeyValuePair<RollupKey, long>> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY statistics.rollups (tenant_id, dimension, series, month, grp, region_code, municipality_code, unit_id, value, outcome, count)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var (k, count) in rows)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(k.TenantId, ct);
            await copy.WriteAsync(k.Dimension, ct);
            await copy.WriteAsync(k.Series, ct);
            await copy.WriteAsync(k.Month, NpgsqlTypes.NpgsqlDbType.Date, ct);
            await copy.WriteAsync(k.Grp, ct);
            await copy.WriteAsync(k.RegionCode, ct);
            await copy.WriteAsync(k.MunicipalityCode, ct);
            await copy.WriteAsync(k.UnitId, ct);
            await copy.WriteAsync(k.Value, ct);
            await copy.WriteAsync(k.Outcome, ct);
            await copy.WriteAsync(count, ct);
        }
        await copy.CompleteAsync(ct);
    }
}
