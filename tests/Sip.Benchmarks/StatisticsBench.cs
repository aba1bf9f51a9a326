using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sip.Contracts.Statistics;
using Sip.ServiceDefaults.Data;
using Sip.Statistics.Apis;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;

/// <summary>
/// (e) Statistics at national scale: a data generator makes ten years of plans (default 5,000,000) over 21 tenants —
/// each plan with its initiative answers, meetings, follow-up, activities, goals and, for discharges, LUS deadlines —
/// projects them through the service's own code (FactCube: the consumers' and the rebuild's) into the rollups in a
/// database of its own, then times the service's own query and suppression (MeasuresApi.QueryAsync) for one tenant:
/// a year's table by each dimension and ten years by sex and by unit. Baseline in the same run: the bare
/// <c>SELECT count(*)</c> of the rows one year's municipality table reads, so the ratio shows what grouping and
/// suppression add.
/// </summary>
internal static class StatisticsBench
{
    private const int Tenants = 21;
    private const int Months = 120;
    private const int Samples = 200;
    private static readonly string[] AgeBands = ["0-17", "18-64", "65-79", "80+", "Unknown"];
    private static readonly string[] Sexes = ["Female", "Male", "Unknown"];
    private static readonly string[] TargetGroups = ["ChildrenYoung", "Adults", "Elderly65", "PsychiatryAddiction", "Dementia", "MultimorbidElderly", "Unknown"];

    // Usage: Sip.Benchmarks statistics <admin-connection-string> [plans]
    public static async Task RunAsync(string[] args)
    {
        var admin = args[0];
        var plans = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 5_000_000;
        const string database = "sip_statistics_bench";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE); CREATE DATABASE {database}", connection);
            await drop.ExecuteNonQueryAsync();
        }
        var bench = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        var options = new DbContextOptionsBuilder<StatisticsDbContext>()
            .UseNpgsql(bench, n => n.MigrationsHistoryTable(ServiceDatabaseRegistration.MigrationsHistoryTable, StatisticsDbContext.Schema)).Options;
        await using (var db = new StatisticsDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        var watch = Stopwatch.StartNew();
        var (facts, rows) = await GenerateAsync(bench, plans);
        await using (var connection = new NpgsqlConnection(bench))
        {
            await connection.OpenAsync();
            await using var analyze = new NpgsqlCommand("ANALYZE statistics.rollups", connection);
            await analyze.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"(e) statistics: {plans:N0} plans over {Months / 12} years in {Tenants} tenants → {facts:N0} facts → {rows:N0} rollup rows " +
            $"(generated, projected and loaded in {watch.Elapsed.TotalSeconds:F0} s); {Samples} queries each for one tenant, threshold 5");

        await using var query = new StatisticsDbContext(options);
        var lastYear = new DateOnly(2025, 1, 1);
        var baseline = await TimeAsync(async () =>
        {
            await using var c = new NpgsqlConnection(bench);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "SELECT count(*) FROM statistics.rollups WHERE tenant_id = 'tenant-07' AND dimension = 'geo' AND series = 'established' AND month BETWEEN @f AND @t", c);
            cmd.Parameters.AddWithValue("f", lastYear);
            cmd.Parameters.AddWithValue("t", lastYear.AddMonths(11));
            return (long)(await cmd.ExecuteScalarAsync())!;
        });
        Console.WriteLine($"  baseline  SELECT count(*) of one year's rows for the municipality table          p50 {baseline.P50:F2} ms p99 {baseline.P99:F2} ms");
        var cases = new List<(string Name, string Measure, string By, DateOnly? From, DateOnly? To)>();
        foreach (var by in MeasureCatalog.Dimensions.Keys)
        {
            cases.Add(($"sips-established by {by}, one year", "sips-established", by, lastYear, lastYear.AddMonths(11)));
        }
        cases.Add(("initiative-acknowledgement by municipality, one year (median)", "initiative-acknowledgement", "municipality", lastYear, lastYear.AddMonths(11)));
        cases.Add(("initiative-acknowledgement by unit, one year (median)", "initiative-acknowledgement", "unit", lastYear, lastYear.AddMonths(11)));
        cases.Add(("lus by sex, one year", "lus", "sex", lastYear, lastYear.AddMonths(11)));
        cases.Add(("kva by unit, one year", "kva", "unit", lastYear, lastYear.AddMonths(11)));
        cases.Add(("sips-established by sex, ten years", "sips-established", "sex", null, null));
        cases.Add(("sips-established by unit, ten years", "sips-established", "unit", null, null));
        cases.Add(("first-meeting by municipality, ten years (median)", "first-meeting", "municipality", null, null));
        var all = new List<double>();
        foreach (var (name, measure, by, from, to) in cases)
        {
            var definition = MeasureCatalog.Find(measure)!;
            var t = await TimeAsync(async () => (await MeasuresApi.QueryAsync(query, "tenant-07", definition, by, from, to, 5, CancellationToken.None)).Count);
            all.AddRange(t.Samples);
            Console.WriteLine($"  {name,-62} p50 {t.P50:F2} ms p99 {t.P99:F2} ms ({t.Rows} cells) | ratio to baseline p99 {t.P99 / baseline.P99:F1}");
        }
        all.Sort();
        Console.WriteLine($"  every query above together: p99 {Percentile(all, 0.99):F2} ms, max {all[^1]:F2} ms (target: p99 under 100 ms)");
    }

    private sealed record Timing(double P50, double P99, long Rows, List<double> Samples);

    private static async Task<Timing> TimeAsync(Func<Task<long>> run)
    {
        long rows = 0;
        for (var i = 0; i < 5; i++)
        {
            rows = await run();
        }
        var samples = new List<double>(Samples);
        for (var i = 0; i < Samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            rows = await run();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        samples.Sort();
        return new Timing(Percentile(samples, 0.5), Percentile(samples, 0.99), rows, samples);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>
    /// The data generator: plans spread evenly over tenants and months, each tenant with 14 municipalities (3 municipal
    /// units each) and 10 region units; seeded, so every run makes the same data. One tenant at a time in memory.
    /// </summary>
    private static async Task<(long Facts, long Rows)> GenerateAsync(string connectionString, long plans)
    {
        long facts = 0, rows = 0;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var t = 0; t < Tenants; t++)
        {
            var random = new Random(1016 + t);
            var tenant = $"tenant-{t:00}";
            var region = (t + 1).ToString("00", CultureInfo.InvariantCulture);
            var municipalities = Enumerable.Range(0, 14).Select(m => region + (80 + m).ToString("00", CultureInfo.InvariantCulture)).ToArray();
            var municipalUnits = municipalities.ToDictionary(m => m, m => Enumerable.Range(0, 3).Select(_ => Guid.CreateVersion7()).ToArray());
            var regionUnits = Enumerable.Range(0, 10).Select(_ => Guid.CreateVersion7()).ToArray();
            var rollups = new Dictionary<RollupKey, long>();
            void Count(StatisticsDimensions d, IEnumerable<FactEntry> entries)
            {
                facts++;
                foreach (var e in entries)
                {
                    foreach (var key in FactCube.Rollups(tenant, d, e))
                    {
                        rollups[key] = rollups.GetValueOrDefault(key) + 1;
                    }
                }
            }
            var perTenant = plans / Tenants + (t < plans % Tenants ? 1 : 0);
            var start = new DateTimeOffset(2016, 1, 1, 0, 0, 0, TimeSpan.Zero);
            for (long p = 0; p < perTenant; p++)
            {
                var municipality = municipalities[random.Next(municipalities.Length)];
                var regional = random.Next(3) == 0;
                var unit = regional ? regionUnits[random.Next(regionUnits.Length)] : municipalUnits[municipality][random.Next(3)];
                var discharge = random.Next(4) == 0;
                var d = new StatisticsDimensions(region, municipality, unit, regional ? "Region" : "Municipality", AgeBands[random.Next(AgeBands.Length)],
                    Sexes[random.Next(Sexes.Length)], TargetGroups[random.Next(TargetGroups.Length)], discharge);
                var initiative = start.AddMinutes(random.NextDouble() * Months * 30.4 * 24 * 60);
                var meeting = initiative.AddDays(1 + random.Next(40));
                Count(d, FactCube.Entries(new InitiativeAnsweredFact(Guid.Empty, initiative, tenant, d, initiative, initiative.AddHours(random.Next(100)), random.Next(10) > 0)));
                Count(d, FactCube.Entries(new MeetingHeldFact(Guid.Empty, meeting, tenant, d, "Planning", meeting, random.Next(10) < 7, random.Next(3), true, initiative)));
                Count(d, FactCube.Entries(new PlanEstablishedFact(Guid.Empty, meeting, tenant, d, 1, meeting, meeting.AddDays(random.Next(5)))));
                if (discharge)
                {
                    Count(d, FactCube.Entries(new LusDeadlineFact(Guid.Empty, meeting, tenant, d, random.Next(3) == 0 ? "Red" : "Green",
                        random.Next(2) == 0 ? "Summons" : "MeetingAfterDischarge", meeting, random.Next(10) > 1)));
                }
                if (random.Next(10) < 6)
                {
                    var followUp = meeting.AddDays(30 + random.Next(90));
                    Count(d, FactCube.Entries(new MeetingHeldFact(Guid.Empty, followUp, tenant, d, "FollowUp", followUp, random.Next(10) < 5, random.Next(2), false, null)));
                    Count(d, FactCube.Entries(new PlanEstablishedFact(Guid.Empty, followUp, tenant, d, 2, followUp, followUp.AddDays(random.Next(4)))));
                    for (var a = 0; a < 3; a++)
                    {
                        Count(d, FactCube.Entries(new ActivityOutcomeFact(Guid.Empty, followUp, tenant, d, followUp, random.Next(10) < 7)));
                    }
                    for (var g = 0; g < 2; g++)
                    {
                        Count(d, FactCube.Entries(new GoalEvaluatedFact(Guid.Empty, followUp, tenant, d, followUp, random.Next(10) < 5)));
                    }
                }
            }
            await Rebuild.WriteAsync(connection, rollups, CancellationToken.None);
            rows += rollups.Count;
        }
        return (facts, rows);
    }
}
