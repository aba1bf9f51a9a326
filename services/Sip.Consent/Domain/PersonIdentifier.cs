using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Sip.ServiceDefaults;

namespace Sip.Consent.Domain;

/// <summary>
/// An identifier as stored: its kind, its normalised value and, for a local reserve number, the name
/// of the tenant's format it matched. Personal data of the most sensitive kind: never logged or published.
/// </summary>
public sealed record PersonIdentifier(IdentityKind Kind, string Value, string? Format = null)
{
    public override string ToString() => $"{Kind}(***)";
}

/// <summary>One region's local reserve-number format: configuration per tenant, not code.</summary>
public sealed class ReserveNumberFormat
{
    /// <summary>A short name, stored with each value that matched it (e.g. <c>vgr-lrid</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>A regular expression on the whole value, as in shared/domain/IDENTIFIER-FORMATS.md.</summary>
    public string Pattern { get; set; } = "";
}

/// <summary><c>Identifiers:Tenants:{tenant}:LocalReserveNumbers</c>: each tenant's local reserve-number formats.</summary>
public sealed class IdentifierOptions
{
    public Dictionary<string, TenantIdentifierOptions> Tenants { get; set; } = [];
}

public sealed class TenantIdentifierOptions
{
    public List<ReserveNumberFormat> LocalReserveNumbers { get; set; } = [];
}

/// <summary>
/// Reads what staff type: validates what can be validated (check digit, a date that exists, century
/// inference), normalises, and names the kind. When the caller names the kind, the value must be of
/// that kind; when not, the value must be of exactly one kind — an ambiguous value is refused, never guessed.
/// </summary>
public sealed partial class IdentifierParser(IOptionsMonitor<IdentifierOptions> options)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <param name="format">For a local reserve number whose value fits more than one of the tenant's formats: which one.</param>
    public PersonIdentifier Parse(string tenantId, string? input, IdentityKind? kind, DateOnly today, string? format = null)
    {
        var raw = (input ?? "").Trim();
        if (raw.Length is 0 or > 32)
        {
            throw Invalid("Ange ett personnummer, samordningsnummer eller reservnummer.");
        }
        if (!raw.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '+'))
        {
            // Configured formats use \d, which in .NET also matches other scripts' digits: only ASCII gets that far.
            throw Invalid("Numret får bara innehålla siffror 0–9, bokstäver A–Z och bindestreck eller plustecken.");
        }
        switch (kind)
        {
            case IdentityKind.Personnummer or IdentityKind.Samordningsnummer:
                var number = IdentityNumber.Parse(raw, today);
                if (number.Kind != kind)
                {
                    throw Invalid(kind == IdentityKind.Personnummer
                        ? "Numret är ett samordningsnummer (dagen i födelsedatumet är ökad med 60), inte ett personnummer."
                        : "Numret är ett personnummer, inte ett samordningsnummer.");
                }
                return new PersonIdentifier(number.Kind, number.Value);
            case IdentityKind.NationalReserveNumber:
                return NationalReserve(raw) ?? throw Invalid("Ett nationellt reservnummer har formen ÅÅÅÅMMDD följt av två bokstäver och två siffror eller tre bokstäver och en siffra (inte I, O, Q, V eller W).");
            case IdentityKind.LocalReserveNumber:
                var local = LocalReserve(tenantId, raw).Where(l => format is null || l.Format == format).ToList();
                return local.Count switch
                {
                    1 => local[0],
                    0 => throw Invalid(format is null
                        ? "Numret följer inget av de lokala reservnummerformat som är inställda för er region."
                        : $"Numret följer inte formatet {format}, eller så är formatet inte inställt för er region."),
                    _ => throw Ambiguous(local),
                };
            case IdentityKind.TemporaryId:
                return TemporaryIdShape().IsMatch(raw.ToUpperInvariant())
                    ? new PersonIdentifier(IdentityKind.TemporaryId, raw.ToUpperInvariant())
                    : throw Invalid("Ett tillfälligt id har formen TMP-ÅÅMMDD- följt av tio tecken.");
        }
        // Kind not given: the value must be of exactly one kind.
        var candidates = new List<PersonIdentifier>();
        if (PersonnummerShape().IsMatch(raw))
        {
            try
            {
                var number = IdentityNumber.Parse(raw, today);
                candidates.Add(new PersonIdentifier(number.Kind, number.Value));
            }
            catch (DomainException) when (LocalReserve(tenantId, raw).Count > 0)
            {
                // Not a valid personnummer, but one of the tenant's local formats: taken below.
            }
        }
        if (NationalReserve(raw) is { } national)
        {
            candidates.Add(national);
        }
        candidates.AddRange(LocalReserve(tenantId, raw).Where(l => format is null || l.Format == format));
        if (TemporaryIdShape().IsMatch(raw.ToUpperInvariant()))
        {
            candidates.Add(new PersonIdentifier(IdentityKind.TemporaryId, raw.ToUpperInvariant()));
        }
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw Invalid("Numret är varken ett personnummer, ett samordningsnummer eller ett reservnummer som används i er region."),
            _ => throw Ambiguous(candidates),
        };
    }

    private static DomainException Ambiguous(IEnumerable<PersonIdentifier> candidates) =>
        new("ambiguous-identifier", "Identitetsnumret kan tolkas på flera sätt",
            $"Numret passar {string.Join(", ", candidates.Select(c => c.Format ?? c.Kind.ToString()))}. Ange vilken sorts nummer det är (identifierKind) och, för ett lokalt reservnummer, vilket format (identifierFormat).",
            StatusCodes.Status400BadRequest);

    private static PersonIdentifier? NationalReserve(string raw)
    {
        var m = NationalReserveShape().Match(raw);
        return m.Success ? new PersonIdentifier(IdentityKind.NationalReserveNumber, m.Groups["date"].Value + m.Groups["rest"].Value) : null;
    }

    private List<PersonIdentifier> LocalReserve(string tenantId, string raw)
    {
        var found = new List<PersonIdentifier>();
        if (!options.CurrentValue.Tenants.TryGetValue(tenantId, out var tenant))
        {
            return found;
        }
        foreach (var format in tenant.LocalReserveNumbers)
        {
            // Formats are written on the full form; a value typed with a stray separator is tried without it too.
            var regex = new Regex(format.Pattern, RegexOptions.CultureInvariant, MatchTimeout);
            var value = regex.IsMatch(raw) ? raw : regex.IsMatch(raw.Replace("-", "", StringComparison.Ordinal)) ? raw.Replace("-", "", StringComparison.Ordinal) : null;
            if (value is not null)
            {
                found.Add(new PersonIdentifier(IdentityKind.LocalReserveNumber, value, format.Name));
            }
        }
        return found;
    }

    private static DomainException Invalid(string detail) =>
        new("invalid-identity-number", "Ogiltigt identitetsnummer", detail, StatusCodes.Status400BadRequest);

    /// <summary>What <see cref="Individual.NewTemporaryId"/> issues: TMP-YYMMDD- and ten Crockford base32 characters.</summary>
    [GeneratedRegex(@"^TMP-[0-9]{6}-[0-9A-HJKMNP-TV-Z]{10}$")]
    private static partial Regex TemporaryIdShape();

    [GeneratedRegex(@"^([0-9]{6}|[0-9]{8})[-+]?[0-9]{4}$")]
    private static partial Regex PersonnummerShape();

    /// <summary>YYYYMMDD, an optional '-', then two letters and two digits or three letters and a digit; I, O, Q, V, W never occur.</summary>
    [GeneratedRegex(@"^(?<date>[0-9]{8})-?(?<rest>[A-HJ-NPR-UX-Z]{2}[0-9]{2}|[A-HJ-NPR-UX-Z]{3}[0-9])$")]
    private static partial Regex NationalReserveShape();
}
