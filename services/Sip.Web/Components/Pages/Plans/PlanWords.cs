using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sip.Web.Clients;
using Sip.Web.Resources;

namespace Sip.Web.Components.Pages.Plans;

/// <summary>
/// The plan's codes and field paths in Swedish (PlanTexts.resx). A code a newer service adds reads as itself rather
/// than breaking the page.
/// </summary>
internal static partial class PlanWords
{
    public static IReadOnlyList<string> Principals { get; } = ["Region", "Municipality", "Other"];

    public static IReadOnlyList<string> ResponsibleKinds { get; } = ["Unit", "Individual", "Relative", "Guardian", "GodMan"];

    public static IReadOnlyList<string> Participations { get; } = ["InPerson", "Video", "Phone", "WrittenInput", "Represented", "NotPresent"];

    public static IReadOnlyList<string> ActivityStatuses { get; } = ["NotStarted", "Ongoing", "Done", "NotDone"];

    /// <summary>Timing as real plans write it (SIP-DOMAIN §6), offered as suggestions; anything else may be typed.</summary>
    public static IReadOnlyList<string> TimingSuggestions { get; } = PlanTexts.Timing_Suggestions.Split('|');

    public static string Status(string status) => Text("PlanStatus_" + status) ?? status;

    public static string Value(string code) => Text("Value_" + code) ?? code;

    public static string Field(string key) => Text("Field_" + key) ?? key;

    public static string StatusBadge(string status) => status switch
    {
        "Draft" => "badge--warning",
        "Signed" => "badge--info",
        "Locked" => "badge--success",
        "Cancelled" => "badge--error",
        _ => "badge--default",
    };

    /// <summary>
    /// The service's diff also lists <c>activities[…]</c>: its content type's flat view of every goal's activities,
    /// serialized alongside them. Shown once, under its goal.
    /// </summary>
    public static IEnumerable<string> Shown(IEnumerable<string> paths) =>
        paths.Where(p => !p.StartsWith("activities", StringComparison.Ordinal));

    /// <summary><c>shortTermGoals[0].activities[1].timing</c> → "Delmål 1 › Aktivitet 2 › Tidsplan".</summary>
    public static string Path(string path)
    {
        var parts = new List<string>();
        foreach (Match m in PathSegment().Matches(path))
        {
            var label = Field(m.Groups["key"].Value);
            parts.Add(m.Groups["index"].Success ? $"{label} {int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture) + 1}" : label);
        }
        return string.Join(" › ", parts);
    }

    /// <summary>A value as a person reads it: codes in Swedish, an object as its fields, nothing as a dash.</summary>
    public static string Render(JsonNode? node) => node switch
    {
        null => "–",
        JsonValue v when v.GetValueKind() == JsonValueKind.True => PlanTexts.Value_True,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => PlanTexts.Value_False,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => RenderText(v.GetValue<string>()),
        JsonValue v => v.ToJsonString(),
        JsonArray a => a.Count == 0 ? "–" : string.Join("; ", a.Select(Render)),
        JsonObject o => string.Join(", ", o.Where(p => p.Key is not "id" && p.Value is not null).Select(p => $"{Field(p.Key)}: {Render(p.Value)}")),
        _ => node.ToJsonString(),
    };

    /// <summary>The value at a service path (<c>participants[1].howInformed</c>) in a plan content, or null.</summary>
    public static JsonNode? At(PlanContent content, string path)
    {
        JsonNode? node = JsonSerializer.SerializeToNode(content, ServiceCalls.Json);
        foreach (Match m in PathSegment().Matches(path))
        {
            node = node is JsonObject o ? o[m.Groups["key"].Value] : null;
            if (m.Groups["index"].Success)
            {
                var i = int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture);
                node = node is JsonArray a && i < a.Count ? a[i] : null;
            }
        }
        return node;
    }

    public static string Date(DateOnly? date) => date is { } d ? d.ToString("d MMMM yyyy", Sip.Web.Extensions.Swedish) : "";

    private static string RenderText(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Date(date);
        }
        return Text("Value_" + text) ?? text;
    }

    private static string? Text(string key) => PlanTexts.ResourceManager.GetString(key, CultureInfo.CurrentUICulture);

    [GeneratedRegex(@"(?<key>[A-Za-z]+)(\[(?<index>\d+)\])?")]
    private static partial Regex PathSegment();
}
