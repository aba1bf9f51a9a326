using System.Security.Cryptography;
using System.Text;

namespace Sip.Statistics.Domain.Survey;

/// <summary>
/// The SIP-kollen codes: the one-time code a coordinator hands out at the meeting (the only authorisation the anonymous
/// form has), and the personal code a respondent keeps to compare a later answer with an earlier one. Both are random,
/// typed by hand (an alphabet without 0/O, 1/I/L), and stored only as a keyed hash: the database alone gives neither back,
/// and a code is never linked to a case, a meeting or a person.
/// </summary>
public static class SurveyCodes
{
    /// <summary>No 0, O, 1, I or L: nothing to misread on a slip of paper or over the phone. 31 symbols, about 5 bits each.</summary>
    public const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>8 symbols (about 40 bits): a one-time code is single use, expires, and is guessed only through a rate limit.</summary>
    public const int OneTimeLength = 8;

    /// <summary>10 symbols (about 50 bits): a personal code never expires, so it is longer.</summary>
    public const int PersonalLength = 10;

    public static string NewOneTimeCode() => Group(Random(OneTimeLength), 4);

    public static string NewPersonalCode() => Group(Random(PersonalLength), 5);

    /// <summary>
    /// What was typed, as the code it means: upper case, without spaces or hyphens; null when it cannot be one of ours (wrong
    /// length or a symbol outside the alphabet), so it is refused without a database look-up.
    /// </summary>
    public static string? Normalise(string? typed, int length)
    {
        if (typed is null || typed.Length > 40)
        {
            return null;
        }
        var code = new StringBuilder(length);
        foreach (var c in typed)
        {
            if (c is ' ' or '-' or '\u00A0')
            {
                continue;
            }
            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }
            code.Append(upper);
        }
        return code.Length == length ? code.ToString() : null;
    }

    /// <summary>
    /// The keyed hash a code is stored and looked up by (HMAC-SHA256 with the service's pepper, which is not in the
    /// database): the look-up is by equality on the hash, so nothing compares the code itself, in constant time or not.
    /// </summary>
    public static string Hash(byte[] pepper, string purpose, string normalised)
    {
        var mac = HMACSHA256.HashData(pepper, Encoding.UTF8.GetBytes(purpose + ":" + normalised));
        return Convert.ToHexStringLower(mac);
    }

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    private static string Group(string code, int size) =>
        string.Join('-', Enumerable.Range(0, code.Length / size).Select(i => code.Substring(i * size, size)));
}
