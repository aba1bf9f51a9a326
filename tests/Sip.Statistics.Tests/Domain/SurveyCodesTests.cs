using System.Text;
using Sip.Statistics.Domain.Survey;

namespace Sip.Statistics.Tests.Domain;

public sealed class SurveyCodesTests
{
    private static readonly byte[] Pepper = Encoding.UTF8.GetBytes("a-test-pepper-of-at-least-32-characters");

    [Fact]
    public void New_codes_use_only_the_unambiguous_alphabet_in_groups_and_differ()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => SurveyCodes.NewOneTimeCode()).ToList();
        Assert.All(codes, c => Assert.Matches("^[A-HJ-KMNP-Z2-9]{4}-[A-HJ-KMNP-Z2-9]{4}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Matches("^[A-HJ-KMNP-Z2-9]{5}-[A-HJ-KMNP-Z2-9]{5}$", SurveyCodes.NewPersonalCode());
    }

    [Theory]
    [InlineData("abcd-efgh", "ABCDEFGH")]
    [InlineData(" AB CD EF GH ", "ABCDEFGH")]
    [InlineData("ABCD\u00A0EFGH", "ABCDEFGH")]
    [InlineData("ABCD-EFG", null)]
    [InlineData("ABCD-EFGHJ", null)]
    [InlineData("ABCD-EFG0", null)]
    [InlineData("ABCD-EFGO", null)]
    [InlineData("ABCD-EFG1", null)]
    [InlineData("ABCD-EFGI", null)]
    [InlineData("ABCD-EFGL", null)]
    [InlineData("ÅBCD-EFGH", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void What_was_typed_is_read_as_the_code_it_means_or_refused(string? typed, string? expected) =>
        Assert.Equal(expected, SurveyCodes.Normalise(typed, SurveyCodes.OneTimeLength));

    [Fact]
    public void A_code_is_stored_as_a_keyed_hash_that_depends_on_pepper_and_purpose()
    {
        var hash = SurveyCodes.Hash(Pepper, "survey-code", "ABCDEFGH");
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.DoesNotContain("ABCDEFGH", hash, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(hash, SurveyCodes.Hash(Pepper, "survey-code", "ABCDEFGH"));
        Assert.NotEqual(hash, SurveyCodes.Hash(Pepper, "survey-personal", "ABCDEFGH"));
        Assert.NotEqual(hash, SurveyCodes.Hash(Encoding.UTF8.GetBytes("another-pepper-of-at-least-32-characters"), "survey-code", "ABCDEFGH"));
    }
}
