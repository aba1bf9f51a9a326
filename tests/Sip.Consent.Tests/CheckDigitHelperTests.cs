namespace Sip.Consent.Tests;

/// <summary>The test helper itself agrees with numbers Skatteverket documents.</summary>
public sealed class CheckDigitHelperTests
{
    [Theory]
    [InlineData("121212121", '2')] // 19121212-1212, the classic valid test number
    [InlineData("640823323", '4')] // Skatteverket's worked example 640823-3234
    public void The_helper_computes_the_published_check_digit(string nineDigits, char expected) =>
        Assert.Equal(expected, TestIdentityNumbers.CheckDigit(nineDigits));
}
