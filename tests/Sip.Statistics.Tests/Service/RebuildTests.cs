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
