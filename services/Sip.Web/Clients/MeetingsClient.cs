using System.Net.Http.Json;

namespace Sip.Web.Clients;

// The meeting-scheduling service's views as this app reads them (kinds and statuses as strings, see CaseClient.cs). A meeting is
// public: the meeting page hands it to its parts (components take public parameters).

internal sealed record AwaitingSummons(Guid SummonsId, Guid MeetingId, Guid CaseId, string CaseReference, string Kind, DateTimeOffset StartsAt,
    string LocalTime, Guid ConvenedByUnitId, DateTimeOffset DueAt, bool Overdue);

public sealed record Place(string Type, string? Details);

public sealed record NamedPerson(string Name, Guid? UnitId, string? Phone);

public sealed record Attendee(string Name, string Mode, string? Role);

public sealed record SummonsView(Guid SummonsId, Guid UnitId, string Status, DateTimeOffset SentAt, DateTimeOffset DueAt, bool Overdue,
    DateTimeOffset? AnsweredAt, IReadOnlyList<Attendee> Attendees, string? DeclineReason);

public sealed record MeetingView(Guid MeetingId, Guid CaseId, string CaseReference, string Kind, string Status, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, int DurationMinutes, string LocalTime, Place Place, NamedPerson Chair, NamedPerson Coordinator, Guid ConvenedByUnitId,
    string Reason, IReadOnlyList<SummonsView> Summons, DateTimeOffset? HeldAt, IReadOnlyList<Participation>? Participants = null,
    Guid? PreviousMeetingId = null, Guid? NextMeetingId = null)
{
    /// <summary>The convening unit and the coordinator's unit move, cancel and hold the meeting (the service enforces it too).</summary>
    public bool IsOrganisedBy(Guid unitId) => unitId == ConvenedByUnitId || unitId == Coordinator.UnitId;
}

/// <summary>Who took part in a held meeting and how; someone <c>NotPresent</c> with how they are informed.</summary>
public sealed record Participation(string Name, string Mode, string? Role = null, Guid? UnitId = null, string? HowInformed = null);

/// <summary>What a meeting is, when booking one or the next one at a held meeting.</summary>
internal sealed record MeetingDetails(string Kind, DateTimeOffset StartsAt, int DurationMinutes, Place Place, NamedPerson Chair, NamedPerson Coordinator,
    string Reason, IReadOnlyList<Guid> SummonedUnitIds);

internal sealed record BookingWarning(string Code, Guid UnitId, string Message);

internal sealed record BookedMeeting(MeetingView Meeting, IReadOnlyList<BookingWarning> Warnings);

internal sealed record HeldMeeting(MeetingView Meeting, MeetingView? NextMeeting, IReadOnlyList<BookingWarning> Warnings);

internal sealed record LetterSummary(Guid LetterId, string Kind, string? Name, Guid? RepresentativeId, DateTimeOffset AddedAt);

internal sealed record CalendarFeed(Guid UnitId, string Path, DateTimeOffset CreatedAt);

/// <summary>The case as the meeting pages need it: which units take part (the opener and every initiative not declined or cancelled).</summary>
internal sealed record MeetingCase(Guid CaseId, string Reference, string Status, Guid OpenedByUnitId, IReadOnlyList<MeetingCaseInitiative> Initiatives)
{
    public IReadOnlyList<Guid> ParticipantUnitIds =>
        Initiatives.Where(i => i.Status is "Sent" or "Overdue" or "Acknowledged").Select(i => i.ToUnitId).Prepend(OpenedByUnitId).Distinct().ToList();
}

internal sealed record MeetingCaseInitiative(Guid ToUnitId, string Status);

internal sealed record MeetingSummary(Guid MeetingId, Guid CaseId, string CaseReference, string Kind, string Status, DateTimeOffset StartsAt,
    string LocalTime, int AwaitingAnswer, int Overdue);

/// <summary>
/// The meeting-scheduling service (<c>/api/v1/meetings</c>): meetings, the summons a unit answers, invitation letters and
/// calendars; and the case's taking-part units from the case service, which the booking pages offer to summon.
/// </summary>
internal sealed class MeetingsClient(HttpClient http)
{
    public Task<ServiceResult<List<AwaitingSummons>>> SummonsAsync(Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<AwaitingSummons>>(http, new(HttpMethod.Get, $"api/v1/meetings/summons?unitId={unitId}"), ct);

    public Task<ServiceResult<MeetingView>> MeetingAsync(Guid meetingId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<MeetingView>(http, new(HttpMethod.Get, $"api/v1/meetings/{meetingId}?unitId={unitId}"), ct);

    public Task<ServiceResult<List<MeetingSummary>>> ForCaseAsync(Guid caseId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<MeetingSummary>>(http, new(HttpMethod.Get, $"api/v1/meetings?caseId={caseId}&unitId={unitId}"), ct);

    public Task<ServiceResult<SummonsView>> AcknowledgeAsync(Guid meetingId, Guid summonsId, Guid unitId, IReadOnlyList<Attendee> attendees, CancellationToken ct) =>
        ServiceCalls.SendAsync<SummonsView>(http, new(HttpMethod.Post, $"api/v1/meetings/{meetingId}/summons/{summonsId}/acknowledge")
        {
            Content = JsonContent.Create(new { unitId, attendees }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<SummonsView>> DeclineAsync(Guid meetingId, Guid summonsId, Guid unitId, string reason, CancellationToken ct) =>
        ServiceCalls.SendAsync<SummonsView>(http, new(HttpMethod.Post, $"api/v1/meetings/{meetingId}/summons/{summonsId}/decline")
        {
            Content = JsonContent.Create(new { unitId, reason }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<MeetingCase>> CaseAsync(Guid caseId, CancellationToken ct) =>
        ServiceCalls.SendAsync<MeetingCase>(http, new(HttpMethod.Get, $"api/v1/cases/{caseId}"), ct);

    public Task<ServiceResult<BookedMeeting>> BookAsync(Guid caseId, Guid unitId, MeetingDetails details, CancellationToken ct) =>
        ServiceCalls.SendAsync<BookedMeeting>(http, new(HttpMethod.Post, "api/v1/meetings")
        {
            Content = JsonContent.Create(new
            {
                caseId, unitId, details.Kind, details.StartsAt, details.DurationMinutes, details.Place, details.Chair, details.Coordinator,
                details.Reason, details.SummonedUnitIds,
            }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<BookedMeeting>> RescheduleAsync(Guid meetingId, Guid unitId, DateTimeOffset startsAt, int durationMinutes, Place place,
        CancellationToken ct) =>
        ServiceCalls.SendAsync<BookedMeeting>(http, new(HttpMethod.Put, $"api/v1/meetings/{meetingId}/schedule")
        {
            Content = JsonContent.Create(new { unitId, startsAt, durationMinutes, place }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<MeetingView>> CancelAsync(Guid meetingId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<MeetingView>(http, new(HttpMethod.Post, $"api/v1/meetings/{meetingId}/cancel")
        {
            Content = JsonContent.Create(new { unitId }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<HeldMeeting>> HoldAsync(Guid meetingId, Guid unitId, IReadOnlyList<Participation> participants, MeetingDetails? nextMeeting,
        CancellationToken ct) =>
        ServiceCalls.SendAsync<HeldMeeting>(http, new(HttpMethod.Post, $"api/v1/meetings/{meetingId}/held")
        {
            Content = JsonContent.Create(new { unitId, participants, nextMeeting }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<List<LetterSummary>>> LettersAsync(Guid meetingId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<LetterSummary>>(http, new(HttpMethod.Get, $"api/v1/meetings/{meetingId}/letters?unitId={unitId}"), ct);

    public Task<ServiceResult<LetterSummary>> AddLetterAsync(Guid meetingId, Guid unitId, string kind, string? name, string? address, CancellationToken ct) =>
        ServiceCalls.SendAsync<LetterSummary>(http, new(HttpMethod.Post, $"api/v1/meetings/{meetingId}/letters")
        {
            Content = JsonContent.Create(new { unitId, kind, name, address }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<CalendarFeed>> RotateFeedAsync(Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<CalendarFeed>(http, new(HttpMethod.Post, $"api/v1/meetings/calendar-feeds/{unitId}"), ct);

    public async Task<ServiceProblem?> RevokeFeedAsync(Guid unitId, CancellationToken ct)
    {
        try
        {
            using var response = await http.DeleteAsync($"api/v1/meetings/calendar-feeds/{unitId}", ct);
            return response.IsSuccessStatusCode ? null : await ServiceCalls.ProblemAsync(response, ct);
        }
        catch (HttpRequestException)
        {
            return ServiceProblem.FromStatus(502);
        }
    }

    /// <summary>A letter (HTML or PDF) or the meeting's calendar item, as the service sends it: the app passes it on to the browser.</summary>
    public Task<HttpResponseMessage> DocumentAsync(string path, CancellationToken ct) =>
        http.GetAsync($"api/v1/meetings/{path}", HttpCompletionOption.ResponseHeadersRead, ct);
}
