using System.Globalization;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Domain;

/// <summary>How consent's terms read on a plan and its copies.</summary>
public static class SwedishTexts
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static string Kind(RepresentativeKind kind) => kind switch
    {
        RepresentativeKind.Guardian => "vårdnadshavare",
        RepresentativeKind.AppointedGuardian => "särskilt förordnad vårdnadshavare",
        RepresentativeKind.Forvaltare => "förvaltare",
        RepresentativeKind.GodMan => "god man",
        RepresentativeKind.PersonalOmbudsman => "personligt ombud",
        RepresentativeKind.Relative => "närstående",
        _ => kind.ToString(),
    };

    public static string Category(InformationCategory category) => category switch
    {
        InformationCategory.SomaticCare => "somatisk vård",
        InformationCategory.PsychiatricCare => "psykiatrisk vård",
        InformationCategory.AddictionCare => "beroendevård",
        InformationCategory.DentalCare => "tandvård",
        InformationCategory.FinancialAid => "ekonomiskt bistånd",
        InformationCategory.DisabilitySupport => "stöd enligt LSS",
        InformationCategory.ChildAndFamily => "barn och familj",
        InformationCategory.ElderlyCare => "äldreomsorg",
        InformationCategory.School => "skola",
        InformationCategory.Employment => "arbete och sysselsättning",
        _ => category.ToString(),
    };

    public static string Form(ConsentForm form) => form switch
    {
        ConsentForm.Written => "skriftligt",
        ConsentForm.Oral => "muntligt",
        ConsentForm.Presumed => "antaget",
        _ => form.ToString(),
    };

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Swedish);

    /// <summary>
    /// The consent reference a plan carries (SIP-DOMAIN §6): the basis, who answered and in what form, when, and
    /// until when, e.g. "Den enskildes samtycke: den enskilde muntligt; lämnat 24 november 2026; gäller till 24 maj 2027".
    /// </summary>
    public static string Summary(Consent consent, Individual individual)
    {
        string Who(Declaration d) => d.RepresentativeId is { } id && individual.Representatives.FirstOrDefault(r => r.Id == id) is { } r
            ? $"{r.Name} ({Kind(r.Kind)})"
            : "den enskilde";
        var basis = consent.Basis switch
        {
            ConsentBasis.Individual => "Den enskildes samtycke",
            ConsentBasis.Guardians => "Vårdnadshavarnas samtycke",
            ConsentBasis.Representative => "Företrädarens samtycke",
            ConsentBasis.Presumed => consent.Presumed is { } p ? $"Antaget samtycke (informerad {Date(p.InformedOn)}, invänder inte)" : "Antaget samtycke",
            ConsentBasis.LvuDecision => "Beslut enligt LVU" + Decision(consent.Exception),
            ConsentBasis.MatureMinorDecision => "Beslut av hälso- och sjukvården (den unge vill ha SIP)" + Decision(consent.Exception),
            _ => consent.Basis.ToString(),
        };
        var answers = consent.Declarations.Where(d => d.Decision == Domain.Decision.Consents).Select(d => $"{Who(d)} {Form(d.Form)}").ToList();
        var parts = new List<string> { answers.Count > 0 ? $"{basis}: {string.Join(", ", answers)}" : basis };
        if (consent.DecidedAt is { } decided)
        {
            parts.Add($"lämnat {Date(SwedishCalendar.Today(decided))}");
        }
        parts.Add($"gäller till {Date(consent.ValidUntil)}");
        return string.Join("; ", parts);
    }

    private static string Decision(ExceptionDecision? decision) =>
        decision is null ? "" : $" ({decision.DecisionMaker}, {Date(decision.DecidedOn)}{(decision.Reference is null ? "" : $", {decision.Reference}")})";
}
