using Sip.Contracts.Statistics;
using Sip.Statistics.Apis;
using Sip.Statistics.Domain;
using static Sip.Statistics.Tests.Service.Facts;

namespace Sip.Statistics.Tests;

/// <summary>A cube of seeded random facts of every kind over three months, and the rows a table reads from it summed in memory the plain way.</summary>
internal static class RandomCube
{
    /// <summary>Five municipalities in two regions, four units each: some units and groups get cells under the threshold, some over. Same seed, same cube.</summary>
    public static Dictionary<RollupKey, long> Make(string tenant, int seed, int facts)
    {
        var random = new Random(seed);
        string[] municipalities = ["1481", "1490", "1489", "0180", "0181"];
        var units = municipalities.ToDictionary(m => m, _ => Enumerable.Range(0, 4).Select(_ => NextGuid(random)).ToArray());
        string[] sexes = ["Female", "Male", "Unknown"];
        string[] ageBands = ["0-17", "18-64", "65-79", "80+"];
        var cube = new Dictionary<RollupKey, long>();
        for (var i = 0; i < facts; i++)
        {
            var municipality = municipalities[random.Next(municipalities.Length)];
            var d = new StatisticsDimensions(municipality[..2], municipality, units[municipality][random.Next(4)], random.Next(3) == 0 ? "Region" : "Municipality",
                ageBands[random.Next(ageBands.Length)], sexes[random.Next(sexes.Length)], "Adults", random.Next(4) == 0);
            var at = October.AddDays(random.Next(-45, 45)).AddHours(random.Next(24));
            IEnumerable<FactEntry> entries = (i % 6) switch
            {
                0 => FactCube.Entries(Established(tenant, d, at, at.AddDays(-random.Next(5)), random.Next(1, 3))),
                1 => FactCube.Entries(Answered(tenant, d, at, TimeSpan.FromHours(random.Next(100)), random.Next(8) > 0)),
                2 => FactCube.Entries(Held(tenant, d, "Planning", at, random.Next(2) == 0, random.Next(2), true, at.AddDays(-random.Next(40)))),
                3 => FactCube.Entries(new ActivityOutcomeFact(Guid.Empty, at, tenant, d, at, random.Next(2) == 0)),
                4 => FactCube.Entries(new GoalEvaluatedFact(Guid.Empty, at, tenant, d, at, random.Next(3) > 0)),
                _ => FactCube.Entries(new LusDeadlineFact(Guid.Empty, at, tenant, d, random.Next(2) == 0 ? "Red" : "Green", "Summons", at, random.Next(3) > 0)),
            };
            foreach (var key in entries.SelectMany(e => FactCube.Rollups(tenant, d, e)))
            {
                cube[key] = cube.GetValueOrDefault(key) + 1;
            }
        }
        return cube;
    }

    private static Guid NextGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>The cube rows a table reads, summed in memory the plain way: a figure row per cube row, a place row per unit's cube row.</summary>
    public static List<MeasuresApi.CubeRow> Rows(Dictionary<RollupKey, long> cube, MeasureDefinition d, string by)
    {
        var dimension = MeasureCatalog.Dimensions[by];
        var rows = cube.Where(r => r.Key.Dimension == dimension.Rollup
            && (d.Series.Contains(r.Key.Series) || (d.SeriesPrefix is { } prefix && r.Key.Series.StartsWith(prefix, StringComparison.Ordinal)))).ToList();
        var figures = rows.Select(r => new MeasuresApi.CubeRow(r.Key.Month, r.Key.Series, false, "", by == "unit" ? r.Key.MunicipalityCode : "",
            by == "unit" ? r.Key.UnitId : "", by switch
            {
                "tenant" => r.Key.TenantId,
                "region" => r.Key.RegionCode,
                "municipality" => r.Key.MunicipalityCode,
                "unit" => $"{r.Key.MunicipalityCode}/{r.Key.UnitId}",
                _ => r.Key.Grp,
            }, r.Key.Value, r.Key.Outcome, r.Value));
        var places = MeasureCatalog.Nested.Contains(by)
            ? rows.Select(r => new MeasuresApi.CubeRow(r.Key.Month, r.Key.Series, true, r.Key.RegionCode, r.Key.MunicipalityCode, r.Key.UnitId, "", 0, false, r.Value))
            : [];
        return [.. figures, .. places];
    }
}
