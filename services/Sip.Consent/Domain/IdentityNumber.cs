using System.Globalization;
using Sip.ServiceDefaults;

namespace Sip.Consent.Domain;

/// <summary>The kind of identifier a person is known by; stored with the value, never guessed silently.</summary>
public enum IdentityKind
{
    Personnummer,
    Samordningsnummer,
    /// <summary>The national reserve-number pattern (YYYYMMDD + two letters and two digits, or three letters and a digit).</summary>
    NationalReserveNumber,
    /// <summary>A region's own reserve number; its format is configured per tenant.</summary>
    LocalReserveNumber,
    /// <summary>Issued by the platform to someone with no number at all (unidentified, newly arrived).</summary>
    TemporaryId,
}

/// <summary>Only as a personnummer or samordningsnummer tells it, for statistics (SIP-DOMAIN §10).</summary>
public enum Sex
{
    Unknown,
    Female,
    Male,
}

/// <summary>
/// A Swedish personnummer or samordningsnummer, normalised to 12 digits (YYYYMMDDNNNC).
/// See shared/domain/IDENTIFIER-FORMATS.md. Never log, print or publish one.
/// </summary>
public sealed partial record IdentityNumber(IdentityKind Kind, string Value)
{
    /// <param name="today">Century inference for 10-digit input is relative to this date.</param>
    public static IdentityNumber Parse(string? input, DateOnly today)
    {
        var raw = (input ?? "").Trim();
        var match = Shape().Match(raw);
        var plus = match.Groups["sep"].Value == "+";
        var digits = match.Groups["date"].Value + match.Groups["serial"].Value;
        if (!match.Success)
        {
            throw Invalid("Ange 10 eller 12 siffror, med eller utan bindestreck (ÅÅÅÅMMDD-NNNN).");
        }
        if (digits.Length == 10)
        {
            digits = InferCentury(digits, plus, today);
        }
        var month = int.Parse(digits.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var day = int.Parse(digits.AsSpan(6, 2), CultureInfo.InvariantCulture);
        var year = int.Parse(digits.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var kind = day > 60 ? IdentityKind.Samordningsnummer : IdentityKind.Personnummer;
        var birthDay = kind == IdentityKind.Samordningsnummer ? day - 60 : day;
        if (year < 1800 || month is < 1 or > 12 || birthDay < 1 || birthDay > DateTime.DaysInMonth(year, month))
        {
            throw Invalid("Födelsedatumet i numret finns inte.");
        }
        if (new DateOnly(year, month, birthDay) > today)
        {
            throw Invalid("Födelsedatumet i numret ligger i framtiden.");
        }
        if (!LuhnValid(digits.AsSpan(2)))
        {
            throw Invalid("Kontrollsiffran stämmer inte.");
        }
        return new IdentityNumber(kind, digits);
    }

    private static string InferCentury(string tenDigits, bool hundredOrOlder, DateOnly today)
    {
        var yy = int.Parse(tenDigits.AsSpan(0, 2), CultureInfo.InvariantCulture);
        var year = (today.Year / 100 * 100) + yy;
        if (year > today.Year)
        {
            year -= 100;
        }
        if (hundredOrOlder)
        {
            year -= 100;
        }
        return year.ToString("D4", CultureInfo.InvariantCulture) + tenDigits[2..];
    }

    private static bool LuhnValid(ReadOnlySpan<char> tenDigits)
    {
        var sum = 0;
        for (var i = 0; i < tenDigits.Length; i++)
        {
            var d = tenDigits[i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /// <summary>(YY)YYMMDD, an optional '-' or '+' in its place only, then four digits.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<date>[0-9]{6}|[0-9]{8})(?<sep>[-+]?)(?<serial>[0-9]{4})$")]
    private static partial System.Text.RegularExpressions.Regex Shape();

    private static DomainException Invalid(string detail) =>
        new("invalid-identity-number", "Ogiltigt identitetsnummer", detail, StatusCodes.Status400BadRequest);

    public override string ToString() => $"{Kind}(***)";

    /// <summary>
    /// The sex the number was issued for: its second-to-last digit, odd for a man and even for a woman. For a statistic
    /// only (IDENTIFIER-FORMATS.md), never shown; never inferred from a reserve number.
    /// </summary>
    public Sex Sex => (Value[10] - '0') % 2 == 1 ? Sex.Male : Sex.Female;

    /// <summary>The date of birth a personnummer or samordningsnummer carries.</summary>
    public DateOnly BirthDate
    {
        get
        {
            var day = int.Parse(Value.AsSpan(6, 2), CultureInfo.InvariantCulture);
            return new DateOnly(int.Parse(Value.AsSpan(0, 4), CultureInfo.InvariantCulture), int.Parse(Value.AsSpan(4, 2), CultureInfo.InvariantCulture),
                Kind == IdentityKind.Samordningsnummer ? day - 60 : day);
        }
    }
}
