namespace Sip.Contracts.Statistics;

/// <summary>
/// What a statistic may know about the individual of a case (SIP-DOMAIN §10), and the one place that turns it into the
/// <see cref="StatisticsDimensions"/> values: every publisher of facts (case, meeting-scheduling) builds its dimensions
/// here, so a band means the same in every fact. Birth year and month, not a precomputed band, because a band ages:
/// a case opened at 17 counts as 18-64 in the facts after the birthday. Logic in the contracts assembly is a deliberate
/// exception to "records only": the band boundaries are part of the fact contract's vocabulary, like its strings.
/// </summary>
/// <param name="BirthYear">From consent (the birth date of a personnummer or samordningsnummer, or one recorded for a reserve number); null when unknown.</param>
/// <param name="BirthMonth">1–12; null when unknown.</param>
/// <param name="Sex"><see cref="Female"/>, <see cref="Male"/> or <see cref="StatisticsDimensions.Unknown"/>.</param>
/// <param name="TargetGroup">One of the target-group values of <see cref="StatisticsDimensions"/>, or <see cref="StatisticsDimensions.Unknown"/>.</param>
public sealed record StatisticsPerson(int? BirthYear, int? BirthMonth, string Sex, string TargetGroup)
{
    public const string Female = "Female";
    public const string Male = "Male";

    public static readonly StatisticsPerson Unknown = new(null, null, StatisticsDimensions.Unknown, StatisticsDimensions.Unknown);

    /// <summary>
    /// The age band on <paramref name="day"/> (the fact's date in Sweden). Only the birth month is known, so the birthday
    /// is taken as the first of that month: in the birth month itself the person already counts at the new age. An
    /// unknown or impossible birth (in the future, month outside 1–12) is <see cref="StatisticsDimensions.Unknown"/>.
    /// </summary>
    public string AgeBandOn(DateOnly day)
    {
        if (BirthYear is not { } year || BirthMonth is not { } month || month is < 1 or > 12)
        {
            return StatisticsDimensions.Unknown;
        }
        var age = day.Year - year - (day.Month < month ? 1 : 0);
        return age switch
        {
            < 0 => StatisticsDimensions.Unknown,
            < 18 => "0-17",
            < 65 => "18-64",
            < 80 => "65-79",
            _ => "80+",
        };
    }

    /// <summary>The dimensions of a fact dated <paramref name="day"/>, counted for <paramref name="unitId"/>.</summary>
    /// <param name="municipalityCode">SCB's four digits; its first two are the county (län), reported as the region.</param>
    public StatisticsDimensions Dimensions(string municipalityCode, Guid unitId, string principal, bool discharge, DateOnly day) =>
        new(RegionOf(municipalityCode), municipalityCode, unitId, principal, AgeBandOn(day),
            Sex is Female or Male ? Sex : StatisticsDimensions.Unknown,
            string.IsNullOrEmpty(TargetGroup) ? StatisticsDimensions.Unknown : TargetGroup,
            discharge);

    /// <summary>The county (län) code: the first two digits of a municipality code (1481 Mölndal → 14 Västra Götaland).</summary>
    public static string RegionOf(string municipalityCode) =>
        municipalityCode.Length >= 2 ? municipalityCode[..2] : StatisticsDimensions.Unknown;
}
