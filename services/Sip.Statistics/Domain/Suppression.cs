namespace Sip.Statistics.Domain;

/// <summary>
/// Small-cell suppression with complementary suppression (SIP-DOMAIN §10: aggregates must not re-identify anyone).
/// A partition is the set of cells that add up to one published total (one month of one series of a table by one
/// dimension). A cell below the threshold is suppressed (primary); then, so that the total minus the published cells
/// does not give a suppressed cell back, more cells are suppressed, smallest first (complementary), until at least two
/// are suppressed and together they hold at least the threshold. A total below the threshold suppresses the partition.
/// The decision depends on the partition alone, never on the query's filters, so two queries that overlap show the same
/// cell the same way.
/// </summary>
public static class Suppression
{
    public const int DefaultThreshold = 5;

    /// <summary>A cell of the nested geography: region (county) ⊃ municipality ⊃ unit (counted per municipality, so the nesting is strict).</summary>
    public sealed record Place(string Region, string Municipality, string Unit, long Count);

    /// <summary>
    /// Suppression of the three nested tables of one partition together, top down: regions against the total, each
    /// region's municipalities against the region, each municipality's units against the municipality — a hidden parent
    /// hides at least two of its children. So the municipality table cannot be subtracted from the region table, nor the
    /// unit table from the municipality table, to give back a hidden cell, whichever of the three is asked for.
    /// </summary>
    public static (HashSet<string> Regions, HashSet<string> Municipalities, HashSet<(string Municipality, string Unit)> Units) DecideNested(
        IReadOnlyList<Place> places, int threshold)
    {
        var hiddenRegions = new HashSet<string>(StringComparer.Ordinal);
        var hiddenMunicipalities = new HashSet<string>(StringComparer.Ordinal);
        var hiddenUnits = new HashSet<(string, string)>();
        var regions = places.GroupBy(p => p.Region).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var (r, _) = Decide([.. regions.Select(g => g.Sum(p => p.Count))], threshold);
        for (var i = 0; i < regions.Count; i++)
        {
            if (r[i])
            {
                hiddenRegions.Add(regions[i].Key);
            }
            var municipalities = regions[i].GroupBy(p => p.Municipality).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var (m, _) = Decide([.. municipalities.Select(g => g.Sum(p => p.Count))], threshold, r[i]);
            for (var j = 0; j < municipalities.Count; j++)
            {
                if (m[j])
                {
                    hiddenMunicipalities.Add(municipalities[j].Key);
                }
                var units = municipalities[j].GroupBy(p => p.Unit).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
                var (u, _) = Decide([.. units.Select(g => g.Sum(p => p.Count))], threshold, m[j]);
                for (var k = 0; k < units.Count; k++)
                {
                    if (u[k])
                    {
                        hiddenUnits.Add((municipalities[j].Key, units[k].Key));
                    }
                }
            }
        }
        return (hiddenRegions, hiddenMunicipalities, hiddenUnits);
    }

    /// <summary>The lowest threshold a tenant may configure: below 3, a pair of suppressed cells could still be one person each known to the other.</summary>
    public const int MinimumThreshold = 3;

    /// <summary>
    /// Which cells (by index) of one partition are suppressed, and whether its total is. <paramref name="parentSuppressed"/>:
    /// the partition's total is itself a suppressed cell of a coarser table (a municipality's units when the municipality is
    /// hidden), so at least one cell is suppressed too — else the cells shown would add up to the hidden total.
    /// </summary>
    public static (bool[] Cells, bool Total) Decide(IReadOnlyList<long> counts, int threshold, bool parentSuppressed = false)
    {
        var suppressed = new bool[counts.Count];
        var total = counts.Sum();
        if (total > 0 && total < threshold)
        {
            for (var i = 0; i < counts.Count; i++)
            {
                suppressed[i] = counts[i] > 0;
            }
            return (suppressed, true);
        }
        for (var i = 0; i < counts.Count; i++)
        {
            suppressed[i] = counts[i] > 0 && counts[i] < threshold;
        }
        while (true)
        {
            var hidden = Enumerable.Range(0, counts.Count).Where(i => suppressed[i]).ToList();
            if ((hidden.Count == 0 && !parentSuppressed) || (hidden.Count >= 2 && hidden.Sum(i => counts[i]) >= threshold))
            {
                return (suppressed, false);
            }
            // The smallest cell still shown (ties by position, so the choice is the same every time).
            var next = Enumerable.Range(0, counts.Count).Where(i => !suppressed[i] && counts[i] > 0)
                .OrderBy(i => counts[i]).ThenBy(i => i).Cast<int?>().FirstOrDefault();
            if (next is null)
            {
                return (suppressed, false);
            }
            suppressed[next.Value] = true;
        }
    }
}
