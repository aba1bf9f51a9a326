namespace Sip.Statistics.Domain;

/// <summary>
/// A published measure (SIP-DOMAIN §10): which cube series it reads, and what each cell shows besides its count — the
/// share with the outcome, the median of the bucket value.
/// </summary>
public sealed record MeasureDefinition(string Name, string Title, IReadOnlyList<string> Series, string? SeriesPrefix, string? ShareOf, string? MedianUnit);

public static class MeasureCatalog
{
    public static readonly IReadOnlyList<MeasureDefinition> All =
    [
        new("initiatives", "Skickade SIP-initiativ (räknade för den mottagande enheten)", ["initiative"], null, null, null),
        new("sips-established", "Upprättade SIP (planer signerade i version 1); andel signerade inom 2 arbetsdagar efter mötet", ["established"], null,
            "inom 2 arbetsdagar efter mötet", null),
        new("initiative-acknowledgement", "Tid från initiativ till kvittens: median i timmar och andel kvitterade inom 1 arbetsdag", ["acknowledgement"], null,
            "inom 1 arbetsdag", "timmar"),
        new("first-meeting", "Tid från första initiativ till ärendets första möte: median i kalenderdagar", ["first_meeting"], null, null, "dagar"),
        new("follow-up", "Upprättade planer per månad och hur många av dem som hittills följts upp (version 2 signerad), räknat i den månad planen upprättades",
            ["established", "follow_up"], null, null, null),
        new("lus", "LUS-tidsgränser per spår och åtagande: andel uppfyllda", [], "lus:", "uppfyllda", null),
        new("activities", "Insatser avslutade vid uppföljning: andel genomförda", ["activity"], null, "genomförda", null),
        new("goals", "Mål bedömda vid utvärdering: andel uppnådda", ["goal"], null, "uppnådda", null),
        new("kva", "KVÅ AU124 (SIP upprättad vid fysiskt möte med regionen) och AU125 (samordnad utskrivningsplan)", ["au124", "au125"], null, null, null),
    ];

    public static MeasureDefinition? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>Dimensions nested in one another (region ⊃ municipality ⊃ unit within it): suppressed together (Suppression.DecideNested).</summary>
    public static readonly IReadOnlySet<string> Nested = new HashSet<string> { "region", "municipality", "unit" };

    /// <summary>The dimensions a table can be broken down by: the rollup each reads and the group expression over it. One dimension per table (see Suppression).</summary>
    public static readonly IReadOnlyDictionary<string, (string Rollup, string Group)> Dimensions = new Dictionary<string, (string, string)>
    {
        ["tenant"] = ("geo", "tenant_id"),
        ["region"] = ("geo", "region_code"),
        ["municipality"] = ("geo", "municipality_code"),
        ["unit"] = ("geo", "municipality_code || '/' || unit_id"),
        ["principal"] = ("principal", "grp"),
        ["ageBand"] = ("ageBand", "grp"),
        ["sex"] = ("sex", "grp"),
        ["targetGroup"] = ("targetGroup", "grp"),
        ["discharge"] = ("discharge", "grp"),
    };
}
