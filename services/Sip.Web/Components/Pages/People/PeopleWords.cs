using System.Globalization;
using Sip.Web.Clients;
using Sip.Web.Resources;

namespace Sip.Web.Components.Pages.People;

/// <summary>
/// The Swedish words for the consent service's codes, from PeopleTexts.resx; a code this app does not know yet shows as
/// itself rather than as an error page (as Components/Shared/Words.cs).
/// </summary>
internal static class PeopleWords
{
    /// <summary>The kinds staff may name when searching; a temporary id is issued by the platform, so it is not registered by hand.</summary>
    public static IReadOnlyList<string> IdentifierKinds { get; } = ["Personnummer", "Samordningsnummer", "NationalReserveNumber", "LocalReserveNumber", "TemporaryId"];

    public static IReadOnlyList<string> RepresentativeKinds { get; } = ["Guardian", "AppointedGuardian", "Forvaltare", "GodMan", "PersonalOmbudsman", "Relative"];

    public static IReadOnlyList<string> Bases { get; } = ["Individual", "Guardians", "Representative", "Presumed", "LvuDecision", "MatureMinorDecision"];

    public static IReadOnlyList<string> Categories { get; } =
        ["SomaticCare", "PsychiatricCare", "AddictionCare", "DentalCare", "FinancialAid", "DisabilitySupport", "ChildAndFamily", "ElderlyCare", "School", "Employment"];

    /// <summary>How an explicit answer is given; presumed consent is a basis of its own.</summary>
    public static IReadOnlyList<string> AnswerForms { get; } = ["Written", "Oral"];

    public static string IdentifierKind(string kind) => Text("IdentifierKind_" + kind) ?? kind;

    public static string RepresentativeKind(string kind) => Text("RepresentativeKind_" + kind) ?? kind;

    public static string Basis(string basis) => Text("Basis_" + basis) ?? basis;

    public static string BasisHelp(string basis) => Text("BasisHelp_" + basis) ?? "";

    public static string Status(string status) => Text("ConsentStatus_" + status) ?? status;

    public static string Category(string category) => Text("Category_" + category) ?? category;

    public static string Form(string form) => Text("Form_" + form) ?? form;

    public static string Decision(string decision) => Text("Decision_" + decision) ?? decision;

    public static string StatusBadge(string status) => status switch
    {
        "Given" => "badge--success",
        "Pending" => "badge--warning",
        "Refused" or "Withdrawn" => "badge--error",
        _ => "badge--default",
    };

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", Sip.Web.Extensions.Swedish);

    public static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The date a date field sent (yyyy-MM-dd from a date input; d/M/yyyy is not offered). Null when empty or unreadable.</summary>
    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact((text ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>Who a party is on this person's record: a representative by name and kind, or the individual.</summary>
    public static string Party(IndividualView? person, Guid? representativeId)
    {
        if (representativeId is null || representativeId == Guid.Empty)
        {
            return PeopleTexts.Party_Individual;
        }
        return person?.Representatives.FirstOrDefault(r => r.RepresentativeId == representativeId) is { } r
            ? $"{r.Name} ({RepresentativeKind(r.Kind).ToLower(Sip.Web.Extensions.Swedish)})"
            : PeopleTexts.Party_Unknown;
    }

    /// <summary>The person's name when this unit may see it (protected identity hides it from others).</summary>
    public static string? Name(IndividualView person) => string.IsNullOrWhiteSpace(person.Contact?.Name) ? null : person.Contact.Name;

    private static string? Text(string key) => PeopleTexts.ResourceManager.GetString(key, CultureInfo.CurrentUICulture);
}

/// <summary>
/// A form's errors: each service problem next to the field it concerns (by the problem's slug, or the field its
/// <c>errors</c> name), anything else above the form.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string> _byField = new(StringComparer.Ordinal);

    public ServiceProblem? General { get; private set; }

    public string? this[string field] => _byField.GetValueOrDefault(field);

    public bool Has(string field) => _byField.ContainsKey(field);

    /// <summary>The first field (in <paramref name="order"/>) with an error: it gets the focus.</summary>
    public string? FirstOf(params string[] order) => order.FirstOrDefault(_byField.ContainsKey);

    public bool Any => _byField.Count > 0 || General is not null;

    public void Set(string field, string message) => _byField[field] = message;

    public void SetGeneral(ServiceProblem problem) => General = problem;

    /// <param name="bySlug">Problem type (slug) → field.</param>
    /// <param name="byJsonName">A name in the problem's <c>errors</c> or <c>field</c> (JSON path, any case) → field.</param>
    public void Assign(ServiceProblem problem, IReadOnlyDictionary<string, string> bySlug, IReadOnlyDictionary<string, string>? byJsonName = null)
    {
        if (bySlug.TryGetValue(problem.Slug, out var field))
        {
            Set(field, Message(problem));
            return;
        }
        if (byJsonName is not null)
        {
            foreach (var key in problem.Errors.Keys)
            {
                var name = key.TrimStart('$', '.').Split('.', '[')[0];
                if (byJsonName.FirstOrDefault(m => string.Equals(m.Key, name, StringComparison.OrdinalIgnoreCase)) is { Value: { } mapped })
                {
                    Set(mapped, Message(problem));
                    return;
                }
            }
        }
        General = problem;
    }

    public static string Message(ServiceProblem problem) =>
        string.IsNullOrWhiteSpace(problem.Detail) ? problem.Title : $"{problem.Title}. {problem.Detail}";
}
