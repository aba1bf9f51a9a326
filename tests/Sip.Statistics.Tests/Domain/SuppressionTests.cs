using Sip.Statistics.Domain;

namespace Sip.Statistics.Tests.Domain;

public sealed class SuppressionTests
{
    [Fact]
    public void A_cell_below_the_threshold_is_suppressed_with_the_smallest_other_cell()
    {
        var (cells, total) = Suppression.Decide([3, 9, 6, 8], 5);

        Assert.Equal([true, false, true, false], cells);
        Assert.False(total);
    }

    [Fact]
    public void Two_small_cells_that_together_stay_below_the_threshold_take_a_third_with_them()
    {
        Assert.Equal([true, true, true, false], Suppression.Decide([1, 2, 6, 8], 5).Cells);
    }

    [Fact]
    public void A_total_below_the_threshold_hides_the_whole_partition_and_zero_cells_are_not_suppressed()
    {
        var (cells, total) = Suppression.Decide([1, 2, 0], 5);
        Assert.Equal([true, true, false], cells);
        Assert.True(total);
        Assert.Equal([false, false], Suppression.Decide([5, 0], 5).Cells);
    }

    [Fact]
    public void A_hidden_parent_hides_at_least_two_of_its_children()
    {
        Assert.Equal([true, true, false], Suppression.Decide([6, 7, 9], 5, parentSuppressed: true).Cells);
        Assert.Equal([true], Suppression.Decide([6], 5, parentSuppressed: true).Cells);
    }

    [Fact]
    public void In_random_partitions_the_cells_shown_never_give_back_a_hidden_one()
    {
        var random = new Random(16);
        for (var run = 0; run < 2000; run++)
        {
            var counts = Enumerable.Range(0, random.Next(1, 8)).Select(_ => (long)random.Next(0, 15)).ToArray();
            var threshold = random.Next(3, 8);
            var (cells, total) = Suppression.Decide(counts, threshold);
            var hidden = counts.Where((_, i) => cells[i]).ToList();

            // Primary: every non-zero cell below the threshold is hidden.
            Assert.All(counts.Select((n, i) => (n, i)).Where(x => x.n > 0 && x.n < threshold), x => Assert.True(cells[x.i]));
            // Complementary: the total minus what is shown is a sum of at least two hidden cells holding at least the threshold, or the total is hidden too.
            Assert.True(total || hidden.Count == 0 || (hidden.Count >= 2 && hidden.Sum() >= threshold), string.Join(",", counts) + " k=" + threshold);
        }
    }
}
