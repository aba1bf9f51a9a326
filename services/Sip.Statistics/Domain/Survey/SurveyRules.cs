using Sip.ServiceDefaults;

namespace Sip.Statistics.Domain.Survey;

/// <summary>
/// SIP-kollen (SIP-DOMAIN §10): five statements on an agreement scale from 1 (stämmer inte alls) to 5 (stämmer helt);
/// an unanswered statement ("vet inte") is null. Age band, sex and municipality are asked of everyone, also of someone
/// who declines the statements, so that every handed-out code is counted.
/// </summary>
public static class SurveyRules
{
    public const int ScaleMin = 1;
    public const int ScaleMax = 5;

    /// <summary>4 or 5 on the scale: the respondent agrees.</summary>
    public const int AgreesFrom = 4;

    /// <summary>The five statements, in the order the form asks them (and the API names them).</summary>
    public static readonly IReadOnlyList<string> Statements = ["respect", "participation", "relevance", "structure", "information"];

    /// <summary>The age bands of the statistics facts, so that survey and measures can be read side by side.</summary>
    public static readonly IReadOnlyList<string> AgeBands = ["0-17", "18-64", "65-79", "80+"];

    public static readonly IReadOnlyList<string> Sexes = ["Female", "Male", "Other"];

    public static void Validate(string? ageBand, string? sex, string? municipalityCode, bool declined, IReadOnlyList<int?> values, Inhabitants inhabitants)
    {
        if (ageBand is null || !AgeBands.Contains(ageBand))
        {
            throw Invalid("ageBand", $"Åldersgrupp saknas eller är okänd. Möjliga: {string.Join(", ", AgeBands)}.");
        }
        if (sex is null || !Sexes.Contains(sex))
        {
            throw Invalid("sex", $"Kön saknas eller är okänt. Möjliga: {string.Join(", ", Sexes)}.");
        }
        if (municipalityCode is null || inhabitants.Find(municipalityCode) is null)
        {
            throw Invalid("municipalityCode", "Kommunen saknas eller är okänd. Ange kommunkoden med fyra siffror, till exempel 1480.");
        }
        for (var i = 0; i < Statements.Count; i++)
        {
            if (values[i] is { } v && (v < ScaleMin || v > ScaleMax))
            {
                throw Invalid(Statements[i], $"Svaret ska vara ett tal från {ScaleMin} till {ScaleMax}, eller utelämnas (vet inte).");
            }
            if (declined && values[i] is not null)
            {
                throw Invalid(Statements[i], "Den som avböjer att svara lämnar påståendena obesvarade.");
            }
        }
    }

    private static DomainException Invalid(string field, string detail) =>
        new("survey-invalid-answer", "Ogiltigt enkätsvar", detail, 400) { Field = field };
}
