using static Sip.Statistics.Tests.Service.Facts;

namespace Sip.Statistics.Tests.Service;

/// <summary>Rebuilding the cube by replaying the fact log gives exactly the figures the live consumers produced.</summary>
public sealed class RebuildTests(StatisticsServiceHost host) : IClassFixture<StatisticsServiceHost>
{
    private static readonly string[] Measures = ["sips-established", "initiative-acknowledgement", "first-meeting", "follow-up", "lus", "activities", "goals", "kva"];

    [Fact]
    public async Task A_replay_of_every_fact_yields_identical_tables()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var random = new Random(1016);
        var facts = new List<Sip.Contracts.IIntegrationEvent>();
        string[] municipalities = [Molndal, Boras, "1489"];
        string[] sexes = ["Female", "Male", "Unknown"];
        for (var i = 0; i < 150; i++)
        {
            var d = Dims(municipalities[random.Next(3)], sex: sexes[random.Next(3)], discharge: random.Next(4) == 0);
            var at = October.AddDays(random.Next(-40, 40)).AddHours(random.Next(24));
            facts.Add((i % 5) switch
            {
                0 => Established(tenant, d, at, at.AddDays(-random.Next(5)), random.Next(1, 3)),
                1 => Answered(tenant, d, at, TimeSpan.FromHours(random.Next(60)), random.Next(5) > 0),
                2 => Held(tenant, d, random.Next(2) == 0 ? "Planning" : "FollowUp", at, random.Next(2) == 0, random.Next(2), random.Next(2) == 0, at.AddDays(-random.Next(30))),
                3 => new Sip.Contracts.Statistics.ActivityOutcomeFact(Guid.CreateVersion7(), at, tenant, d, at, random.Next(2) == 0),
                _ => new Sip.Contracts.Statistics.LusDeadlineFact(Guid.CreateVersion7(), at, tenant, d, "Green", "MeetingAfterDischarge", at, random.Next(2) == 0),
            });
        }
        await host.PublishFactsAsync([.. facts]);
        var before = await AllTablesAsync(statistician);
        Assert.Contains(before, t => t.Contains("\"suppressed\":false", StringComparison.Ordinal) && t.Contains("\"suppressed\":true", StringComparison.Ordinal));

        await host.Postgres.ScalarAsync<long>($"WITH d AS (DELETE FROM statistics.rollups WHERE tenant_id = '{tenant}' RETURNING 1) SELECT count(*) FROM d");
        Assert.All(await AllTablesAsync(statistician), t => Assert.Contains("\"cells\":[]", t, StringComparison.Ordinal));
        Assert.True(await host.RebuildAsync() >= facts.Count);

        Assert.Equal(before, await AllTablesAsync(statistician));
    }

    /// <summary>
    /// A fact's rollup rows are counted together: the month's cube version moves once for the fact, not once per row (each
    /// move was a trigger run, and the month's version row stayed locked from the first to the commit).
    /// </summary>
    [Fact]
    public async Task A_fact_is_counted_in_one_change_of_its_month_and_each_of_its_rollup_rows_once()
    {
        var tenant = NewTenant();
        var fact = Held(tenant, Dims(), "Planning", October, physical: true, regionUnits: 2, first: true, firstInitiativeAt: October.AddDays(-9));
        var keys = Sip.Statistics.Domain.FactCube.Entries(fact)
            .SelectMany(e => Sip.Statistics.Domain.FactCube.Rollups(tenant, fact.Dimensions, e)).ToList();
        Assert.True(keys.Count > 6, $"the fact adds to {keys.Count} rows: more than one entry's");
        var versionBefore = await LastCubeVersionAsync();

        await host.PublishFactsAsync(fact);

        Assert.Equal(versionBefore + 1, await LastCubeVersionAsync());
        Assert.Equal(keys.Count, await host.Postgres.ScalarAsync<long>($"SELECT count(*) FROM statistics.rollups WHERE tenant_id = '{tenant}' AND count = 1"));
        Assert.Equal(keys.Count, await host.Postgres.ScalarAsync<long>($"SELECT count(*) FROM statistics.rollups WHERE tenant_id = '{tenant}'"));
    }

    private async Task<long> LastCubeVersionAsync() =>
        await host.Postgres.ScalarAsync<long>("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM statistics.cube_versions");

    private static async Task<List<string>> AllTablesAsync(HttpClient client)
    {
        var tables = new List<string>();
        foreach (var measure in Measures)
        {
            foreach (var by in new[] { "municipality", "unit", "sex", "discharge" })
            {
                tables.Add(await client.GetStringAsync($"/api/v1/statistics/measures/{measure}?by={by}", TestContext.Current.CancellationToken));
            }
        }
        return tables;
    }
}
