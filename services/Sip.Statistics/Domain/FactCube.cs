using Sip.Contracts.Statistics;
using Sip.ServiceDefaults.Time;

namespace Sip.Statistics.Domain;

/// <summary>
/// One fact as the cube counts it: a series (what is measured), the Swedish calendar month it falls in, a bucket value
/// (hours or days, for a median) and an outcome (within the deadline, done, met — for a share).
/// </summary>
public sealed record FactEntry(string Series, DateOnly Month, int Value, bool Outcome);

/// <summary>One row of the rollups: a series' month in one group of one dimension (geo: region, municipality and unit).</summary>
public sealed record RollupKey(string TenantId, string Series, DateOnly Month, string Dimension, string Grp, string RegionCode, string MunicipalityCode,
    string UnitId, int Value, bool Outcome);

/// <summary>How each statistics fact becomes cube entries (SIP-DOMAIN §10). Pure, so a replay counts exactly as the live run did.</summary>
public static class FactCube
{
    /// <summary>Buckets above this are kept as this: a wait of more than about 14 months counts as 10 000 hours.</summary>
    public const int MaxBucket = 10_000;

    /// <summary>The rollup rows one entry adds to: the nested geography once, and each other dimension's group.</summary>
    public static IEnumerable<RollupKey> Rollups(string tenant, StatisticsDimensions d, FactEntry e)
    {
        RollupKey Flat(string dimension, string group) => new(tenant, e.Series, e.Month, dimension, group, "", "", "", e.Value, e.Outcome);
        yield return new(tenant, e.Series, e.Month, "geo", "", d.RegionCode, d.MunicipalityCode, d.UnitId.ToString(), e.Value, e.Outcome);
        yield return Flat("principal", d.Principal);
        yield return Flat("ageBand", d.AgeBand);
        yield return Flat("sex", d.Sex);
        yield return Flat("targetGroup", d.TargetGroup);
        yield return Flat("discharge", d.Discharge ? "Utskrivning" : "Övrigt");
    }

    /// <summary>
    /// Hours kept exactly up to three days, then in whole days (as hours): a median beyond three days needs no finer grain,
    /// and the rollups stay small.
    /// </summary>
    public static int HoursBucket(double hours)
    {
        var h = Bucket(hours);
        return h <= 72 ? h : h / 24 * 24;
    }

    public static DateOnly MonthOf(DateTimeOffset at)
    {
        var day = SwedishCalendar.Today(at);
        return new DateOnly(day.Year, day.Month, 1);
    }

    private static int Bucket(double value) => (int)Math.Clamp(Math.Floor(value), 0, MaxBucket);

    /// <summary>An initiative sent, in the month it was sent.</summary>
    public static IEnumerable<FactEntry> Entries(InitiativeSentFact f)
    {
        yield return new("initiative", MonthOf(f.SentAt), 0, false);
    }

    /// <summary>Initiative → acknowledgement: hours (median), and within 1 working day (share). A decline is no acknowledgement.</summary>
    public static IEnumerable<FactEntry> Entries(InitiativeAnsweredFact f)
    {
        if (f.Acknowledged)
        {
            yield return new("acknowledgement", MonthOf(f.AnsweredAt), HoursBucket((f.AnsweredAt - f.SentAt).TotalHours),
                f.AnsweredAt <= SwedishCalendar.AddWorkingDays(f.SentAt, 1));
        }
    }

    /// <summary>
    /// Version 1 is a SIP established (share signed within 2 working days of its meeting); version 2 the plan's first
    /// follow-up, counted in the month the plan was established, so a month's follow-ups over its established plans is the
    /// share of that month's plans followed up so far (a fact without the establishment time counts in its own month).
    /// </summary>
    public static IEnumerable<FactEntry> Entries(PlanEstablishedFact f)
    {
        if (f.Version == 1)
        {
            yield return new("established", MonthOf(f.SignedAt), 0, f.MeetingHeldAt is { } held && f.SignedAt <= SwedishCalendar.AddWorkingDays(held, 2));
        }
        else if (f.Version == 2)
        {
            yield return new("follow_up", MonthOf(f.EstablishedAt ?? f.SignedAt), 0, false);
        }
    }

    /// <summary>KVÅ AU124 and AU125, and the calendar days from the first initiative to a case's first meeting.</summary>
    public static IEnumerable<FactEntry> Entries(MeetingHeldFact f)
    {
        var month = MonthOf(f.HeldAt);
        if (MeetingMeasures.CountsAsAu124(f.Kind, f.Physical, f.RegionUnitsInPerson))
        {
            yield return new("au124", month, 0, false);
        }
        if (MeetingMeasures.CountsAsAu125(f.Kind, f.Dimensions.Discharge))
        {
            yield return new("au125", month, 0, false);
        }
        if (f is { FirstMeetingOfCase: true, FirstInitiativeAt: { } initiativeAt })
        {
            yield return new("first_meeting", month, Math.Min(MaxBucket, MeetingMeasures.DaysToFirstMeeting(initiativeAt, f.HeldAt)), false);
        }
    }

    /// <summary>LUS compliance, one series per track and obligation, in the month the deadline fell.</summary>
    public static IEnumerable<FactEntry> Entries(LusDeadlineFact f)
    {
        yield return new($"lus:{f.Track}:{f.Obligation}", MonthOf(f.DueAt), 0, f.Met);
    }

    public static IEnumerable<FactEntry> Entries(ActivityOutcomeFact f)
    {
        yield return new("activity", MonthOf(f.ClosedAt), 0, f.Done);
    }

    public static IEnumerable<FactEntry> Entries(GoalEvaluatedFact f)
    {
        yield return new("goal", MonthOf(f.EvaluatedAt), 0, f.Met);
    }
}
