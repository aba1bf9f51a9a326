using System.Globalization;
using Sip.Web.Resources;

namespace Sip.Web.Components.Shared;

/// <summary>
/// The Swedish words for the services' codes (kinds, statuses, modes), from Texts.resx. A code this app does not know yet
/// (a newer service) gets a general word instead of the raw code or an error page.
/// </summary>
internal static class Words
{
    public static string InboxKind(string kind) => Text("InboxKind_" + kind) ?? Texts.InboxKind_Other;

    public static string Obligation(string? code) => code is null ? "" : Text("Obligation_" + code) ?? "";

    public static string MeetingKind(string kind) => Text("MeetingKind_" + kind) ?? Texts.MeetingKind_Other;

    public static string MeetingStatus(string status) => Text("MeetingStatus_" + status) ?? status;

    public static string SummonsStatus(string status) => Text("SummonsStatus_" + status) ?? status;

    public static string PlaceType(string type) => Text("PlaceType_" + type) ?? Texts.PlaceType_Other;

    public static string Mode(string mode) => Text("Mode_" + mode) ?? mode;

    public static string CaseStatus(string status) => Text("CaseStatus_" + status) ?? status;

    /// <summary>How an attendee may take part when acknowledging; not present is a decline, not an attendee.</summary>
    public static IReadOnlyList<string> AttendanceModes { get; } = ["InPerson", "Phone", "Video", "WrittenInput"];

    private static string? Text(string key) => Texts.ResourceManager.GetString(key, CultureInfo.CurrentUICulture);
}

/// <summary>Dates and times as Swedish readers expect them, in Swedish time (Språkrådet's "kl. 10.00").</summary>
internal static class Format
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public static DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Stockholm);

    /// <summary>"14 december 2026".</summary>
    public static string Date(DateTimeOffset instant) => Local(instant).ToString("d MMMM yyyy", Sip.Web.Extensions.Swedish);

    /// <summary>"14 december 2026 kl. 09.00".</summary>
    public static string DateTime(DateTimeOffset instant)
    {
        var local = Local(instant);
        return $"{local.ToString("d MMMM yyyy", Sip.Web.Extensions.Swedish)} kl. {local.ToString("HH'.'mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>For &lt;time datetime="…"&gt;: machine-readable, with the offset.</summary>
    public static string Iso(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-ddTHH:mmzzz", CultureInfo.InvariantCulture);
}
