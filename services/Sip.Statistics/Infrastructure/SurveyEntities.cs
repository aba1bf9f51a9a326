namespace Sip.Statistics.Infrastructure;

/// <summary>
/// A one-time SIP-kollen code as stored: its keyed hash, whose tenant handed it out and in which month, when it stops
/// working and whether it has been used. Nothing about who handed it out, to whom, or for which case or meeting.
/// </summary>
public sealed class SurveyCode
{
    public string CodeHash { get; init; } = "";
    public string TenantId { get; init; } = "";
    public DateOnly IssuedMonth { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public bool Redeemed { get; set; }
}

/// <summary>
/// One SIP-kollen answer, anonymous: the year (nothing finer, so an answer cannot be matched to a meeting's date), age
/// band, sex, municipality and county, and the five statements (null: not answered), or declined. The keyed hash of the
/// personal code links answers of one respondent to each other, never to a person. No link to the one-time code.
/// </summary>
public sealed class SurveyResponse
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public int Year { get; init; }
    public string AgeBand { get; init; } = "";
    public string Sex { get; init; } = "";
    public string MunicipalityCode { get; init; } = "";
    public string CountyCode { get; init; } = "";
    public bool Declined { get; init; }
    public short? Respect { get; init; }
    public short? Participation { get; init; }
    public short? Relevance { get; init; }
    public short? Structure { get; init; }
    public short? Information { get; init; }
    public string? PersonalCodeHash { get; init; }

    /// <summary>
    /// The how-manieth answer under its personal code (1 for the first): the previous round is the one compared with. A
    /// count per code rather than a time or a global sequence, so the rows keep no order of answering.
    /// </summary>
    public int Round { get; init; }

    public IReadOnlyList<int?> Values => [Respect, Participation, Relevance, Structure, Information];
}
