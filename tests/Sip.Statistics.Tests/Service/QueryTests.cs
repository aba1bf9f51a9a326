using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sip.Contracts.Statistics;
using Sip.Statistics.Apis;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;
using static Sip.Statistics.Tests.Service.Facts;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// The table query sums in PostgreSQL (per group, and per unit for the nested suppression) what the cells and the
/// suppression need. These tests hold it to the plain definition: every table equals the one published from the same
/// facts summed in memory, row by row of the cube.
/// </summary>
public sealed class QueryTests(StatisticsServiceHost host) : IClassFixture<StatisticsServiceHost>
{
    [Fact]
    public async Task Every_table_equals_the_one_summed_in_memory_from_the_same_facts()
    {
        var tenant = NewTenant();
        var random = new Random(2026);
        string[] municipalities = ["1481", "1490", "1489", "0180", "0181"];
        var units = municipalities.ToDictionary(m => m, _ => Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray());
        string[] sexes = ["Female", "Male", "Unknown"];
        string[] ageBands = ["0-17", "18-64", "65-79", "80+"];
        var cube = new Dictionary<RollupKey, long>();
        for (var i = 0; i < 3_000; i++)
        {
            var municipality = municipalities[random.Next(municipalities.Length)];
            var d = new StatisticsDimensions(municipality[..2], municipality, units[municipality][random.Next(4)], random.Next(3) == 0 ? "Region" : "Municipality",
                ageBands[random.Next(ageBands.Length)], sexes[random.Next(sexes.Length)], "Adults", random.Next(4) == 0);
            // Three months, so a partition is a month: some units and groups get cells under the threshold, some over.
            var at = October.AddDays(random.Next(-45, 45)).AddHours(random.Next(24));
            IEnumerable<FactEntry> entries = (i % 6) switch
            {
                0 => FactCube.Entries(Established(tenant, d, at, at.AddDays(-random.Next(5)), random.Next(1, 3))),
                1 => FactCube.Entries(Answered(tenant, d, at, TimeSpan.FromHours(random.Next(100)), random.Next(8) > 0)),
                2 => FactCube.Entries(Held(tenant, d, "Planning", at, random.Next(2) == 0, random.Next(2), true, at.AddDays(-random.Next(40)))),
                3 => FactCube.Entries(new ActivityOutcomeFact(Guid.CreateVersion7(), at, tenant, d, at, random.Next(2) == 0)),
                4 => FactCube.Entries(new GoalEvaluatedFact(Guid.CreateVersion7(), at, tenant, d, at, random.Next(3) > 0)),
                _ => FactCube.Entries(new LusDeadlineFact(Guid.CreateVersion7(), at, tenant, d, random.Next(2) == 0 ? "Red" : "Green", "Summons", at, random.Next(3) > 0)),
            };
            foreach (var key in entries.SelectMany(e => FactCube.Rollups(tenant, d, e)))
            {
                cube[key] = cube.GetValueOrDefault(key) + 1;
            }
        }
        await using (var connection = new NpgsqlConnection(host.ConnectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await Rebuild.WriteAsync(connection, cube, TestContext.Current.CancellationToken);
        }

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StatisticsDbContext>();
        var compared = 0;
        foreach (var measure in MeasureCatalog.All)
        {
            foreach (var by in MeasureCatalog.Dimensions.Keys)
            {
                var expected = MeasuresApi.Publish(measure, by, InMemory(cube, measure, by), Suppression.DefaultThreshold);
                var actual = await MeasuresApi.QueryAsync(db, tenant, measure, by, null, null, Suppression.DefaultThreshold, TestContext.Current.CancellationToken);
                Assert.Equal(expected, actual);
                compared += actual.Count;
            }
        }
        // Enough cells, and both kinds, for the comparison to mean something.
        Assert.True(compared > 1_000, $"{compared} cells compared");
        var all = await MeasuresApi.QueryAsync(db, tenant, MeasureCatalog.Find("initiative-acknowledgement")!, "unit", null, null, Suppression.DefaultThreshold,
            TestContext.Current.CancellationToken);
        Assert.Contains(all, c => c.Suppressed);
        Assert.Contains(all, c => c is { Suppressed: false, Median: not null, Share: not null });
    }

    [Fact]
    public async Task A_month_once_published_is_served_again_until_a_fact_for_it_arrives_and_then_counts_the_new_fact()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var november = October.AddMonths(1);
        await host.PublishFactsAsync([.. Enumerable.Range(0, 6).Select(i => Established(tenant, Dims(), October.AddHours(i), October)),
            .. Enumerable.Range(0, 7).Select(i => Established(tenant, Dims(), november.AddHours(i), november))]);
        var first = await statistician.TableAsync("sips-established", "by=sex");
        Assert.Equal([6L, 7L], first.Where(c => c.Total).Select(c => c.Count));
        Assert.Equal(2, await host.Postgres.ScalarAsync<long>($"SELECT count(*) FROM statistics.published_months WHERE tenant_id = '{tenant}'"));
        Assert.Equivalent(first, await statistician.TableAsync("sips-established", "by=sex"), strict: true);

        // One more plan in October: October is read from the cube again, November is served as kept.
        await host.PublishFactsAsync(Established(tenant, Dims(sex: "Male"), October.AddHours(9), October));
        var second = await statistician.TableAsync("sips-established", "by=sex");
        Assert.Equal([7L, 7L], second.Where(c => c.Total).Select(c => c.Count));
        Assert.True(second.Single(c => c is { Month: "2026-10", Group: "Male" }).Suppressed);
        Assert.Equal(first.Where(c => c.Month == "2026-11"), second.Where(c => c.Month == "2026-11"));
    }

    /// <summary>The cube rows a table reads, summed in memory the plain way: a figure row per cube row, a place row per unit's cube row.</summary>
    private static List<MeasuresApi.CubeRow> InMemory(Dictionary<RollupKey, long> cube, MeasureDefinition d, string by)
    {
        var dimension = MeasureCatalog.Dimensions[by];
        var rows = cube.Where(r => r.Key.Dimension == dimension.Rollup
            && (d.Series.Contains(r.Key.Series) || (d.SeriesPrefix is { } prefix && r.Key.Series.StartsWith(prefix, StringComparison.Ordinal)))).ToList();
        var figures = rows.Select(r => new MeasuresApi.CubeRow(r.Key.Month, r.Key.Series, false, "", "", "", by switch
        {
            "tenant" => r.Key.TenantId,
            "region" => r.Key.RegionCode,
            "municipality" => r.Key.MunicipalityCode,
            "unit" => $"{r.Key.MunicipalityCode}/{r.Key.UnitId}",
            _ => r.Key.Grp,
        }, r.Key.Value, r.Key.Outcome, r.Value) with
        {
            Municipality = by == "unit" ? r.Key.MunicipalityCode : "",
            Unit = by == "unit" ? r.Key.UnitId : "",
        });
        var places = MeasureCatalog.Nested.Contains(by)
            ? rows.Select(r => new MeasuresApi.CubeRow(r.Key.Month, r.Key.Series, true, r.Key.RegionCode, r.Key.MunicipalityCode, r.Key.UnitId, "", 0, false, r.Value))
            : [];
        return [.. figures, .. places];
    }
}
