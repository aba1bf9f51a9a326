using System.Net.Http.Json;

namespace Sip.Web.Clients;

// The meeting-scheduling service's views as this app reads them (kinds and statuses as strings, see CaseClient.cs).

internal sealed record AwaitingSummons(Guid SummonsId, Guid MeetingId, Guid CaseId, string CaseReference, string Kind, DateTimeOffset StartsAt,
    string LocalTime, Guid ConvenedByUnitId, DateTimeOffset DueAt, bool Overdue);

internal sealed record Place(string Type, string? Details);

internal sealed record NamedPerson(string Name, Guid? UnitId, string? Phone);

internal sealed record Attendee(string Name, string Mode, string? Role);

internal sealed record SummonsView(Guid SummonsId, Guid UnitId, string Status, DateTimeOffset SentAt, DateTimeOffset DueAt, bool Overdue,
    DateTimeOffset? AnsweredAt, IReadOnlyList<Attendee> Attendees, string? DeclineReason);

internal sealed record MeetingView(Guid MeetingId, Guid CaseId, string CaseReference, string Kind, string Status, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, int DurationMinutes, string LocalTime, Place Place, NamedPerson Chair, NamedPerson Coordinator, Guid ConvenedByUnitId,
    string Reason, IReadOnlyList<SummonsView> Summons, DateTimeOffset? HeldAt);

internal sealed record MeetingSummary(Guid MeetingId, Guid CaseId, string CaseReference, string Kind, string Status, DateTimeOffset StartsAt,
    string LocalTime, int AwaitingAnswer, int Overdue);

/// <summary>The meeting-scheduling service (<c>/api/v1/meetings</c>): meetings, and the summons a unit answers.</summary>
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
}
