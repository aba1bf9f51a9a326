using System.Globalization;
using Sip.Web.Clients;
using Sip.Web.Components.Shared;
using Sip.Web.Resources;

namespace Sip.Web.Components.Pages.Cases;

/// <summary>The case pages' Swedish words for the case service's codes (CaseTexts.resx), and the small helpers their forms share.</summary>
internal static class CaseWords
{
    public const string DoneKey = "klart";

    public static string InitiativeStatus(string status) => Text("InitiativeStatus_" + status) ?? status;

    /// <summary>The case service's target groups (Sip.Case TargetGroup), in the order a form offers them.</summary>
    public static readonly IReadOnlyList<string> TargetGroups =
        ["NotStated", "ChildrenYoung", "Adults", "Elderly65", "PsychiatryAddiction", "Dementia", "MultimorbidElderly"];

    public static string TargetGroup(string? group) => Text("TargetGroup_" + (string.IsNullOrEmpty(group) ? "NotStated" : group)) ?? group ?? "";

    public static string Track(string track) => Text("Track_" + track) ?? track;

    /// <summary>Met in time, done late, late and not done, or still to do.</summary>
    public static (string Text, string Badge) ObligationState(DischargeObligation o) => o switch
    {
        { Done: true, Late: false } => (CaseTexts.Obligation_Met, "badge--success"),
        { Done: true, Late: true } => (CaseTexts.Obligation_DoneLate, "badge--warning"),
        { Late: true } => (CaseTexts.Obligation_Late, "badge--error"),
        _ => (CaseTexts.Obligation_Pending, "badge--info"),
    };

    public static string ObligationName(DischargeObligation o) => Words.Obligation(o.Code) is { Length: > 0 } name ? name : o.Description;

    /// <summary>The confirmation shown after a form's redirect (<c>?klart=</c>), or null.</summary>
    public static string? Done(string? code) => code is { Length: > 0 } ? Text("Done_" + code.Replace('-', '_')) : null;

    /// <summary>The problem's own words, as one line next to a field.</summary>
    public static string FieldMessage(ServiceProblem problem) =>
        string.IsNullOrWhiteSpace(problem.Detail) ? problem.Title : $"{problem.Title}. {problem.Detail}";

    /// <summary>A problem belongs to a field when its slug is one of the field's or its errors name the field.</summary>
    public static bool Concerns(ServiceProblem problem, IReadOnlyCollection<string> slugs, string field) =>
        slugs.Contains(problem.Slug) || problem.Errors.Keys.Any(k => k.Equals(field, StringComparison.OrdinalIgnoreCase)
            || k.EndsWith("." + field, StringComparison.OrdinalIgnoreCase));

    /// <summary>For &lt;input type="datetime-local"&gt;: Swedish time, to the minute.</summary>
    public static string LocalInput(DateTimeOffset? instant) =>
        instant is { } i ? Format.Local(i).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) : "";

    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>A datetime-local value read as Swedish time; null when empty, false when unreadable.</summary>
    public static bool TryParseLocal(string? value, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        if (!DateTime.TryParseExact(value.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var local))
        {
            return false;
        }
        instant = new DateTimeOffset(local, Stockholm.GetUtcOffset(local));
        return true;
    }

    private static string? Text(string key) => CaseTexts.ResourceManager.GetString(key, CultureInfo.CurrentUICulture);
}
