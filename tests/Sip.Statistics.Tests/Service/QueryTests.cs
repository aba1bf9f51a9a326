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
        var cube = RandomCube.Make(tenant, seed: 2026, facts: 3_000);
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
                var expected = MeasuresApi.Publish(measure, by, RandomCube.Rows(cube, measure, by), Suppression.DefaultThreshold);
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
}
