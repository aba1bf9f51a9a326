using System.Globalization;
using Sip.Web.Auth;
using Sip.Web.Clients;
using Sip.Web.Resources;

namespace Sip.Web.Components.Pages.Meetings;

/// <summary>
/// When and where a meeting is, as typed on the booking, moving and next-meeting forms: everything a string, so what was typed
/// comes back unchanged when the service says no. The time is Swedish local time (Europe/Stockholm); the service gets an instant.
/// </summary>
public sealed class WhenInput
{
    public string? Date { get; set; }

    public string? Time { get; set; }

    public string? Duration { get; set; } = "60";

    public string PlaceType { get; set; } = "Clinic";

    public string? PlaceDetails { get; set; }

    internal static WhenInput Of(MeetingView meeting)
    {
        var local = Shared.Format.Local(meeting.StartsAt);
        return new WhenInput
        {
            Date = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Time = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            Duration = meeting.DurationMinutes.ToString(CultureInfo.InvariantCulture),
            PlaceType = meeting.Place.Type,
            PlaceDetails = meeting.Place.Details,
        };
    }

    /// <summary>The typed date and time as an instant, or which field cannot be read (the service judges everything else).</summary>
    internal (DateTimeOffset StartsAt, int Duration, Dictionary<string, string> Errors) Read()
    {
        var errors = new Dictionary<string, string>();
        var startsAt = default(DateTimeOffset);
        if (!DateOnly.TryParseExact(Date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || !TimeOnly.TryParseExact(Time?.Trim(), ["HH:mm", "H:mm", "HH.mm", "H.mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            errors[MeetingField.Time] = MeetingTexts.Field_TimeUnreadable;
        }
        else
        {
            var local = date.ToDateTime(time, DateTimeKind.Unspecified);
            if (Stockholm.IsInvalidTime(local))
            {
                errors[MeetingField.Time] = MeetingTexts.Field_TimeSkipped;
            }
            else
            {
                startsAt = new DateTimeOffset(local, Stockholm.GetUtcOffset(local));
            }
        }
        if (!int.TryParse(Duration?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            errors[MeetingField.Duration] = MeetingTexts.Field_DurationUnreadable;
        }
        return (startsAt, minutes, errors);
    }

    internal Place Place => new(PlaceType, string.IsNullOrWhiteSpace(PlaceDetails) ? null : PlaceDetails.Trim());

    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
}

/// <summary>A unit offered for summons: a checkbox per unit (an unticked box sends nothing, so the id rides in a hidden field).</summary>
public sealed class UnitInput
{
    public string? Id { get; set; }

    public bool Selected { get; set; }
}

/// <summary>The fields a service problem can belong to on the meeting forms, and which problem belongs where.</summary>
internal static class MeetingField
{
    public const string Kind = "kind";
    public const string Time = "time";
    public const string Duration = "duration";
    public const string Place = "place";
    public const string Chair = "chair";
    public const string Coordinator = "coordinator";
    public const string Reason = "reason";
    public const string Units = "units";
    public const string Participants = "participants";
    public const string RecipientName = "recipient-name";
    public const string RecipientKind = "recipient-kind";

    // The meeting-scheduling service's problem types (services/Sip.MeetingScheduling/Domain/Meeting.cs, Letters.cs).
    private static readonly Dictionary<string, string> BySlug = new()
    {
        ["meeting-in-past"] = Time,
        ["duration-invalid"] = Duration,
        ["place-details-missing"] = Place,
        ["chair-missing"] = Chair,
        ["coordinator-missing"] = Coordinator,
        ["reason-missing"] = Reason,
        ["unit-not-in-case"] = Units,
        ["summons-duplicate"] = Units,
        ["participants-missing"] = Participants,
        ["participant-name-missing"] = Participants,
        ["how-informed-missing"] = Participants,
        ["recipient-name-missing"] = RecipientName,
        ["representative-kind"] = RecipientKind,
        ["pre-meeting-staff-only"] = RecipientKind,
    };

    /// <summary>The field the problem concerns, or null for a problem of the whole form.</summary>
    public static string? Of(ServiceProblem problem)
    {
        if (BySlug.TryGetValue(problem.Slug, out var field))
        {
            return field;
        }
        foreach (var key in problem.Errors.Keys)
        {
            var name = key.TrimStart('$', '.').Split('.', '[')[0].ToLowerInvariant();
            switch (name)
            {
                case "startsat": return Time;
                case "durationminutes": return Duration;
                case "place": return Place;
                case "chair": return Chair;
                case "coordinator": return Coordinator;
                case "reason": return Reason;
                case "summonedunitids": return Units;
                case "participants": return Participants;
                case "kind": return Kind;
                default: break;
            }
        }
        return null;
    }

    public static string Message(ServiceProblem problem) =>
        string.IsNullOrWhiteSpace(problem.Detail) ? problem.Title : $"{problem.Title}. {problem.Detail}";

    /// <summary>Puts the problem next to its field if it has one; returns the problem for the top of the form otherwise.</summary>
    public static ServiceProblem? Assign(ServiceProblem problem, IDictionary<string, string> errors, IReadOnlySet<string>? fieldsOnForm = null)
    {
        if (Of(problem) is { } field && (fieldsOnForm is null || fieldsOnForm.Contains(field)))
        {
            errors[field] = Message(problem);
            return null;
        }
        return problem;
    }
}

/// <summary>The kinds of meeting and place the forms offer, in the order people choose them.</summary>
internal static class MeetingChoices
{
    public static IReadOnlyList<string> Kinds { get; } = ["Planning", "FollowUp", "Evaluation", "PreMeeting"];

    public static IReadOnlyList<string> PlaceTypes { get; } = ["Clinic", "MunicipalOffice", "HospitalWard", "Home", "Remote"];

    /// <summary>How someone took part in a held meeting; not present needs how they are informed.</summary>
    public static IReadOnlyList<string> ParticipationModes { get; } = ["InPerson", "Phone", "Video", "WrittenInput", "NotPresent"];

    public static IReadOnlyList<string> RecipientKinds { get; } =
        ["Individual", "Guardian", "Representative", "Relative", "School", "SocialInsuranceAgency", "EmploymentService", "Other"];
}

/// <summary>
/// A meeting as one of the person's units sees it: the chosen unit first, then the others; and, among the units that may see
/// it, the organising one (convening or coordinating) where the person works for it, so the organiser's pages work from any link.
/// </summary>
internal static class MeetingLoader
{
    public static async Task<(MeetingView? Meeting, Guid? Unit, ServiceProblem? Problem)> LoadAsync(MeetingsClient meetings, UnitChoice units, Guid meetingId,
        CancellationToken ct)
    {
        var candidates = units.Current is { } current ? units.Units.Where(u => u != current).Prepend(current).ToList() : [];
        ServiceProblem? problem = null;
        foreach (var unit in candidates)
        {
            var result = await meetings.MeetingAsync(meetingId, unit, ct);
            if (result.Succeeded)
            {
                var meeting = result.Value!;
                var organiser = candidates.FirstOrDefault(meeting.IsOrganisedBy);
                return (meeting, organiser != Guid.Empty ? organiser : unit, null);
            }
            problem ??= result.Problem;
            if (result.Problem!.Status is not (403 or 404))
            {
                return (null, null, problem);
            }
        }
        return (null, null, problem ?? ServiceProblem.FromStatus(404));
    }
}

/// <summary>What the meeting page says after another page did something (<c>?klart=</c>): booked, moved, cancelled, held, a letter added.</summary>
internal static class MeetingDone
{
    public const string QueryKey = "klart";
    public const string Booked = "bokat";
    public const string BookedDoubleBooked = "bokat-dubbelbokning";
    public const string BookedWithoutLetter = "bokat-utan-brev";
    public const string Moved = "flyttat";
    public const string MovedDoubleBooked = "flyttat-dubbelbokning";
    public const string Cancelled = "installt";
    public const string Held = "registrerat";
    public const string LetterAdded = "brev";

    public static string Url(Guid meetingId, Guid unitId, string done) => $"/moten/{meetingId}?{UnitChoice.QueryKey}={unitId}&{QueryKey}={done}";

    public static string? Message(string? done) => done switch
    {
        Booked => MeetingTexts.Done_Booked,
        BookedDoubleBooked => MeetingTexts.Done_Booked + " " + MeetingTexts.Done_DoubleBooked,
        BookedWithoutLetter => MeetingTexts.Done_Booked + " " + MeetingTexts.Done_LetterFailed,
        Moved => MeetingTexts.Done_Moved,
        MovedDoubleBooked => MeetingTexts.Done_Moved + " " + MeetingTexts.Done_DoubleBooked,
        Cancelled => MeetingTexts.Done_Cancelled,
        Held => MeetingTexts.Done_Held,
        LetterAdded => MeetingTexts.Done_LetterAdded,
        _ => null,
    };
}
