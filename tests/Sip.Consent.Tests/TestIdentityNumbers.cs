namespace Sip.Consent.Tests;

/// <summary>
/// Builds valid test numbers with Skatteverket's check-digit rule (modulus 10, weights 2 and 1 over
/// YYMMDDNNN), written here independently of the production code.
/// </summary>
internal static class TestIdentityNumbers
{
    /// <summary>The check digit for nine digits YYMMDDNNN.</summary>
    public static char CheckDigit(string nineDigits)
    {
        Assert.Equal(9, nineDigits.Length);
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var product = (nineDigits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += (product / 10) + (product % 10);
        }
        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>YYYYMMDDNNN (11 digits) plus its check digit.</summary>
    public static string Twelve(string yyyymmddnnn) => yyyymmddnnn + CheckDigit(yyyymmddnnn[2..]);

    /// <summary>A wrong check digit for the same eleven digits.</summary>
    public static string TwelveWithWrongCheckDigit(string yyyymmddnnn)
    {
        var right = CheckDigit(yyyymmddnnn[2..]);
        return yyyymmddnnn + (char)('0' + ((right - '0' + 1) % 10));
    }
}
