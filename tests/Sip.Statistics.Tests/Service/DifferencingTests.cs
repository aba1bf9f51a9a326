using Sip.Contracts.Statistics;
using static Sip.Statistics.Tests.Service.Facts;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// Nobody re-identified (SIP-DOMAIN §10): an attacker who fetches every table the API offers for a measure — by every
/// dimension, for overlapping month ranges, filtered to single groups — and subtracts them in every linear way cannot
/// recover a single suppressed cell. The same attacker does recover one from tables with only primary suppression, so the
/// attack is real.
/// </summary>
public sealed class DifferencingTests(StatisticsServiceHost host) : IClassFixture<StatisticsServiceHost>
{
    private static readonly string[] Dimensions = ["tenant", "region", "municipality", "unit", "principal", "ageBand", "sex", "targetGroup", "discharge"];
    private static readonly Guid UnitA = Guid.Parse("0193a000-0000-7000-8000-00000000000a");
    private static readonly Guid UnitB = Guid.Parse("0193a000-0000-7000-8000-00000000000b");
    private static readonly Guid UnitC = Guid.Parse("0193a000-0000-7000-8000-00000000000c");
    private static readonly Guid UnitD = Guid.Parse("0193a000-0000-7000-8000-00000000000d");
    private static readonly Guid Hospital = Guid.Parse("0193a000-0000-7000-8000-0000000000ee");

    /// <summary>
    /// Two months of plans in two counties. Mölndal's small unit A (3) sits beside its big unit B (9); Borås (6) and
    /// Alingsås (8) have one unit each; Halmstad in Halland has 2; a hospital unit serves Mölndal and Borås. Ages, sexes,
    /// target groups and discharge vary so that the tables cross.
    /// </summary>
    private static List<(DateTimeOffset At, StatisticsDimensions D)> Population()
    {
        var list = new List<(DateTimeOffset, StatisticsDimensions)>();
        void Add(int n, string municipality, Guid unit, string principal = "Municipality", bool discharge = false, int month = 10)
        {
            for (var i = 0; i < n; i++)
            {
                var age = new[] { "0-17", "18-64", "65-79", "80+" }[i % 4];
                var sex = i % 3 == 0 ? "Male" : "Female";
                var group = new[] { "Adults", "Elderly65", "Dementia" }[i % 3];
                list.Add((new DateTimeOffset(2026, month, 13, 8, 0, 0, TimeSpan.Zero),
                    new StatisticsDimensions(municipality[..2], municipality, unit, principal, age, sex, group, discharge)));
            }
        }
        Add(3, Molndal, UnitA);
        Add(9, Molndal, UnitB);
        Add(6, Boras, UnitC);
        Add(8, "1489", UnitD);
        Add(2, "1380", UnitD);
        Add(4, Molndal, Hospital, "Region", discharge: true);
        Add(1, Boras, Hospital, "Region", discharge: true);
        Add(7, Molndal, UnitB, month: 11);
        Add(1, Boras, UnitC, month: 11);
        Add(12, "1489", UnitD, month: 11);
        return list;
    }

    [Fact]
    public async Task No_suppressed_cell_can_be_recovered_from_any_combination_of_published_tables_and_filters()
    {
        var tenant = NewTenant();
        using var statistician = host.Statistician(tenant);
        var population = Population();
        await host.PublishFactsAsync([.. population.Select(p => Established(tenant, p.D, p.At))]);
        var attacker = new Attacker([.. population.Select(p => (p.At.ToString("yyyy-MM"), p.D))], tenant);

        var tables = new List<(Cell[] Cells, string By)>();
        foreach (var by in Dimensions)
        {
            var table = await statistician.TableAsync("sips-established", $"by={by}");
            tables.Add((table, by));
            // Overlapping month ranges and single-group filters: each must show a cell exactly as the whole table does.
            foreach (var query in new[] { $"by={by}&from=2026-10&to=2026-10", $"by={by}&from=2026-11", $"by={by}&from=2026-09&to=2026-12" })
            {
                tables.Add((await statistician.TableAsync("sips-established", query), by));
            }
            foreach (var group in table.Where(c => !c.Total).Select(c => c.Group).Distinct())
            {
                var filtered = await statistician.TableAsync("sips-established", $"by={by}&group={Uri.EscapeDataString(group)}");
                Assert.All(filtered, c => Assert.Contains(c, table));
                tables.Add((filtered, by));
            }
        }
        foreach (var (cells, by) in tables)
        {
            attacker.Learn(cells, by);
        }

        var suppressed = tables.SelectMany(t => t.Cells.Where(c => c.Suppressed).Select(c => (Cell: c, t.By))).Distinct().ToList();
        Assert.True(suppressed.Count >= 10, $"the population gives suppressed cells to attack ({suppressed.Count})");
        Assert.Contains(suppressed, s => s.By == "unit" && s.Cell.Group == $"{Molndal}/{UnitA}");
        Assert.Contains(suppressed, s => s.By == "region" && s.Cell.Group == "13");
        Assert.All(suppressed, s => Assert.False(attacker.CanRecover(s.Cell, s.By), $"{s.By} {s.Cell.Month} {s.Cell.Group} recovered"));
        // The published cells are the true counts.
        Assert.Equal(33L, Assert.Single(tables[0].Cells, c => c.Total && c.Month == "2026-10").Count);
    }

    [Fact]
    public void The_same_attacker_recovers_a_cell_from_tables_with_only_primary_suppression()
    {
        var population = Population();
        var atoms = population.Select(p => (p.At.ToString("yyyy-MM"), p.D)).ToList();
        var attacker = new Attacker(atoms, "t");
        var naive = new List<(Cell, string)>();
        foreach (var by in Dimensions)
        {
            foreach (var g in atoms.GroupBy(a => (a.Item1, Attacker.GroupOf(a.D, by, "t"))))
            {
                naive.Add((new Cell(g.Key.Item1, "established", g.Key.Item2, false, g.Count(), null, null, null, g.Count() < 5), by));
            }
            foreach (var m in atoms.GroupBy(a => a.Item1))
            {
                naive.Add((new Cell(m.Key, "established", "Totalt", true, m.Count(), null, null, null, false), by));
            }
        }
        foreach (var (cell, by) in naive)
        {
            attacker.Learn([cell], by);
        }

        // Unit A (3) is hidden, but Mölndal's units B and the hospital are shown and Mölndal is shown: A = Mölndal − B − hospital.
        var unitA = naive.Single(n => n.Item2 == "unit" && n.Item1.Group == $"{Molndal}/{UnitA}" && n.Item1.Month == "2026-10").Item1;
        Assert.True(unitA.Suppressed);
        Assert.True(attacker.CanRecover(unitA, "unit"));
    }
}
