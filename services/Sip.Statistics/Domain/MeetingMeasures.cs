using Sip.ServiceDefaults.Time;

namespace Sip.Statistics.Domain;

/// <summary>What a held meeting counts towards (SIP-DOMAIN §10).</summary>
public static class MeetingMeasures
{
    /// <summary>
    /// KVÅ AU124, a SIP established: a meeting the individual takes part in (not a pre-meeting), held physically
    /// with a region unit in the room — the region registers the code per such meeting.
    /// </summary>
    public static bool CountsAsAu124(string kind, bool physical, int regionUnitsInPerson) =>
        physical && regionUnitsInPerson > 0 && kind is "Planning" or "FollowUp" or "Evaluation";

    /// <summary>KVÅ AU125, a coordinated discharge plan: the planning meeting of a discharge from inpatient care.</summary>
    public static bool CountsAsAu125(string kind, bool discharge) => discharge && kind == "Planning";

    /// <summary>
    /// Calendar days in Sweden from the first initiative to the first meeting. An initiative stamped after the
    /// meeting (clocks of two services) counts as the same day rather than as a negative wait.
    /// </summary>
    public static int DaysToFirstMeeting(DateTimeOffset firstInitiativeAt, DateTimeOffset heldAt) =>
        Math.Max(0, SwedishCalendar.Today(heldAt).DayNumber - SwedishCalendar.Today(firstInitiativeAt).DayNumber);

    /// <summary>The median of values kept as (value, how many) buckets; the mean of the two middle values for an even count.</summary>
    public static double? Median(IReadOnlyCollection<(int Days, long Count)> buckets)
    {
        var total = buckets.Sum(b => b.Count);
        if (total == 0)
        {
            return null;
        }
        var ordered = buckets.Where(b => b.Count > 0).OrderBy(b => b.Days).ToList();
        // 1-based positions of the middle value(s).
        var lower = ValueAt((total + 1) / 2);
        var upper = ValueAt(total / 2 + 1);
        return total % 2 == 1 ? lower : (lower + upper) / 2.0;

        int ValueAt(long position)
        {
            var seen = 0L;
            foreach (var (days, count) in ordered)
            {
                seen += count;
                if (seen >= position)
                {
                    return days;
                }
            }
            throw new InvalidOperationException("position beyond the total");
        }
    }
}
