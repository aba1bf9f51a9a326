using Sip.Contracts.Statistics;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// Someone who knows how the published tables are made and tries to recover a suppressed cell from every published
/// one: each published cell is a sum over the finest combinations of dimensions (atoms) with a known value, so a
/// suppressed cell is recoverable exactly when its set of atoms is a linear combination of published cells' sets —
/// totals minus cells, overlapping filters, one table minus another. Decided by Gaussian elimination (rank).
/// </summary>
internal sealed class Attacker(IReadOnlyList<(string Month, StatisticsDimensions Dimensions)> facts, string tenant)
{
    private readonly List<(string Month, StatisticsDimensions D)> _atoms = [.. facts.Distinct()];
    private readonly List<double[]> _known = [];

    public static string GroupOf(StatisticsDimensions d, string by, string tenant) => by switch
    {
        "tenant" => tenant,
        "region" => d.RegionCode,
        "municipality" => d.MunicipalityCode,
        "unit" => $"{d.MunicipalityCode}/{d.UnitId}",
        "principal" => d.Principal,
        "ageBand" => d.AgeBand,
        "sex" => d.Sex,
        "targetGroup" => d.TargetGroup,
        "discharge" => d.Discharge ? "Utskrivning" : "Övrigt",
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };

    private double[] Vector(Cell cell, string by) =>
        [.. _atoms.Select(a => a.Month == cell.Month && (cell.Total || GroupOf(a.D, by, tenant) == cell.Group) ? 1.0 : 0.0)];

    /// <summary>Learns every published cell of a table.</summary>
    public void Learn(IEnumerable<Cell> table, string by)
    {
        foreach (var cell in table.Where(c => !c.Suppressed))
        {
            _known.Add(Vector(cell, by));
        }
    }

    /// <summary>Whether the attacker can compute the cell's value from what it has learnt.</summary>
    public bool CanRecover(Cell cell, string by) => Rank([.. _known, Vector(cell, by)]) == Rank(_known);

    /// <summary>The rank of the rows (Gaussian elimination): a vector adds nothing to what is known when it leaves the rank unchanged.</summary>
    internal static int Rank(List<double[]> rows)
    {
        var m = rows.Select(r => (double[])r.Clone()).ToList();
        var rank = 0;
        var columns = m.Count == 0 ? 0 : m[0].Length;
        for (var c = 0; c < columns && rank < m.Count; c++)
        {
            var pivot = Enumerable.Range(rank, m.Count - rank).Where(r => Math.Abs(m[r][c]) > 1e-9).Cast<int?>().FirstOrDefault();
            if (pivot is null)
            {
                continue;
            }
            (m[rank], m[pivot.Value]) = (m[pivot.Value], m[rank]);
            for (var r = 0; r < m.Count; r++)
            {
                if (r != rank && Math.Abs(m[r][c]) > 1e-9)
                {
                    var f = m[r][c] / m[rank][c];
                    for (var k = c; k < columns; k++)
                    {
                        m[r][k] -= f * m[rank][k];
                    }
                }
            }
            rank++;
        }
        return rank;
    }
}
