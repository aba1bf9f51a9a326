using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Clients;

// The case service's views as this app reads them. Kinds and statuses stay strings: a value a newer service adds shows
// as a general text instead of breaking the page (Components/Shared/Words.cs).

internal sealed record InboxItem(string Kind, Guid ItemId, Guid CaseId, string CaseReference, string Urgency, Guid? FromUnitId,
    DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, bool Overdue, int? PlanVersion, string? Obligation);

internal sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Total, int Page, int PageSize, DateTimeOffset AsOf);

public sealed record UnitInfo(Guid UnitId, string Name, string? Type, string? MunicipalityCode = null, string? Principal = null);

public sealed record CaseView(Guid CaseId, string Reference, string Urgency, string Status, Guid OpenedByUnitId, DateTimeOffset OpenedAt,
    Guid IndividualId = default, string? MunicipalityCode = null, string? Reason = null, string? CancelledBecause = null, Closure? Closure = null,
    DischargeRecord? Discharge = null, IReadOnlyList<InitiativeView>? Initiatives = null, DateTimeOffset? CancelledAt = null, string? TargetGroup = null)
{
    public bool IsOpen => Status == "Open";

    /// <summary>
    /// A case cancelled because consent ended, as a unit that took part still sees it once the consent no longer covers it:
    /// status, cause and dates only (the service leaves out the reason); nothing else of the case can be read.
    /// </summary>
    public bool OnlyCancellationShown => Status == "Cancelled" && Reason is null;

    /// <summary>The units taking part (the service's rule): the opener and every unit whose initiative is not declined or cancelled.</summary>
    public IReadOnlyList<Guid> ParticipantUnitIds => (Initiatives ?? [])
        .Where(i => i.Status is "Sent" or "Overdue" or "Acknowledged").Select(i => i.ToUnitId).Prepend(OpenedByUnitId).Distinct().ToList();
}

public sealed record InitiativeView(Guid InitiativeId, Guid FromUnitId, Guid ToUnitId, DateTimeOffset SentAt, DateTimeOffset DueAt, string Status,
    DateTimeOffset? OverdueAt, DateTimeOffset? AnsweredAt, string? Comment, IReadOnlyList<DateTimeOffset>? SuggestedTimes, Guid? RedirectToUnitId,
    Guid? ForwardedFromId)
{
    public bool AwaitsAnswer => Status is "Sent" or "Overdue";
}

public sealed record Closure(bool WithEvaluationMeeting, IReadOnlyList<string> DecidedBy, string Comment, string? RecordedBy, DateTimeOffset At,
    IReadOnlyList<GoalEvaluationView>? GoalEvaluations = null);

/// <summary>A short-term goal judged at evaluation, with its text as it stood in the evaluated plan.</summary>
public sealed record GoalEvaluationView(Guid GoalId, string Goal, bool Met);

/// <summary>The coordinator's judgement of one short-term goal, as the close request sends it; a goal not judged is not sent.</summary>
public sealed record GoalEvaluationInput(Guid GoalId, bool Met);

public sealed record DischargeRecord(DateTimeOffset AdmittedAt, Guid InpatientUnitId, string Track, string? FixedCareContact = null,
    Guid? FixedCareContactUnitId = null, DateTimeOffset? ReadyForDischargeAt = null, DateTimeOffset? DischargedAt = null,
    DateTimeOffset? AdmissionNoticeSentAt = null);

public sealed record DischargeObligation(string Code, string Description, DateTimeOffset? DueAt, bool Met, bool Late, bool Done);

public sealed record DischargeView(DischargeRecord Discharge, IReadOnlyList<DischargeObligation> Obligations)
{
    /// <summary>The record's ETag as read: a change sends it back in If-Match.</summary>
    public string? ETag { get; init; }
}

public sealed record MessageAcknowledgement(Guid UnitId, string? By, DateTimeOffset At);

public sealed record MessageView(Guid MessageId, Guid FromUnitId, IReadOnlyList<Guid> ToUnitIds, string Text, bool RequiresAcknowledgement,
    string? SentBy, DateTimeOffset SentAt, IReadOnlyList<MessageAcknowledgement> Acknowledgements);

internal sealed record OpenCaseInput(Guid IndividualId, Guid ActingUnitId, string MunicipalityCode, string Reason, string Urgency,
    IReadOnlyList<Guid> InitiativeUnitIds, string? TargetGroup = null);

/// <summary>The case service (<c>/api/v1/cases</c>): a unit's inbox, the unit directory, a case.</summary>
internal sealed class CaseClient(HttpClient http)
{
    /// <summary>The most the service gives on one page; the inbox pages through the rest.</summary>
    public const int InboxPageSize = 100;

    public Task<ServiceResult<InboxPage>> InboxAsync(Guid unitId, int page, CancellationToken ct) =>
        ServiceCalls.SendAsync<InboxPage>(http, new(HttpMethod.Get, $"api/v1/cases/inbox?unitId={unitId}&sort=due&page={page}&pageSize={InboxPageSize}"), ct);

    public Task<ServiceResult<List<UnitInfo>>> UnitsAsync(CancellationToken ct) =>
        ServiceCalls.SendAsync<List<UnitInfo>>(http, new(HttpMethod.Get, "api/v1/cases/units"), ct);

    public Task<ServiceResult<CaseView>> CaseAsync(Guid caseId, CancellationToken ct) =>
        ServiceCalls.SendAsync<CaseView>(http, new(HttpMethod.Get, $"api/v1/cases/{caseId}"), ct);

    public Task<ServiceResult<CaseView>> OpenAsync(OpenCaseInput input, CancellationToken ct) =>
        ServiceCalls.SendAsync<CaseView>(http, Post("api/v1/cases", input), ct);

    public Task<ServiceResult<InitiativeView>> SendInitiativeAsync(Guid caseId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<InitiativeView>(http, Post($"api/v1/cases/{caseId}/initiatives", new { unitId }), ct);

    public Task<ServiceResult<InitiativeView>> AcknowledgeInitiativeAsync(Guid caseId, Guid initiativeId, Guid unitId, string? comment, CancellationToken ct) =>
        ServiceCalls.SendAsync<InitiativeView>(http, Post($"api/v1/cases/{caseId}/initiatives/{initiativeId}/acknowledge", new { unitId, comment }), ct);

    public Task<ServiceResult<InitiativeView>> DeclineInitiativeAsync(Guid caseId, Guid initiativeId, Guid unitId, string comment, Guid? redirectToUnitId,
        CancellationToken ct) =>
        ServiceCalls.SendAsync<InitiativeView>(http, Post($"api/v1/cases/{caseId}/initiatives/{initiativeId}/decline",
            new { unitId, comment, redirectToUnitId }), ct);

    public Task<ServiceResult<InitiativeView>> ForwardInitiativeAsync(Guid caseId, Guid initiativeId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<InitiativeView>(http, Post($"api/v1/cases/{caseId}/initiatives/{initiativeId}/forward", new { unitId }), ct);

    public Task<ServiceResult<List<MessageView>>> MessagesAsync(Guid caseId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<MessageView>>(http, new(HttpMethod.Get, $"api/v1/cases/{caseId}/messages?unitId={unitId}"), ct);

    /// <summary>No recipients: every other unit taking part.</summary>
    public Task<ServiceResult<MessageView>> SendMessageAsync(Guid caseId, Guid unitId, string text, bool requiresAcknowledgement,
        IReadOnlyList<Guid>? toUnitIds, CancellationToken ct) =>
        ServiceCalls.SendAsync<MessageView>(http, Post($"api/v1/cases/{caseId}/messages", new { unitId, text, requiresAcknowledgement, toUnitIds }), ct);

    public Task<ServiceResult<MessageView>> AcknowledgeMessageAsync(Guid caseId, Guid messageId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<MessageView>(http, Post($"api/v1/cases/{caseId}/messages/{messageId}/acknowledge", new { unitId }), ct);

    public async Task<ServiceResult<DischargeView>> DischargeAsync(Guid caseId, Guid unitId, CancellationToken ct)
    {
        string? etag = null;
        var result = await ServiceCalls.SendAsync<DischargeView>(http, new(HttpMethod.Get, $"api/v1/cases/{caseId}/discharge?unitId={unitId}"), ct,
            response => etag = response.Headers.ETag?.ToString());
        return result.Succeeded ? new(result.Value! with { ETag = etag }, null) : result;
    }

    /// <summary>The first record needs no <paramref name="etag"/>; a change sends the one read.</summary>
    public async Task<ServiceResult<DischargeView>> RecordDischargeAsync(Guid caseId, Guid unitId, DischargeRecord discharge, string? etag, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/v1/cases/{caseId}/discharge")
        {
            Content = JsonContent.Create(new { unitId, discharge }, options: ServiceCalls.Json),
        };
        if (!string.IsNullOrEmpty(etag))
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        string? newTag = null;
        var result = await ServiceCalls.SendAsync<DischargeView>(http, request, ct, response => newTag = response.Headers.ETag?.ToString());
        return result.Succeeded ? new(result.Value! with { ETag = newTag }, null) : result;
    }

    /// <summary>Null or NotStated clears it.</summary>
    public Task<ServiceResult<CaseView>> ChangeTargetGroupAsync(Guid caseId, Guid unitId, string? targetGroup, CancellationToken ct) =>
        ServiceCalls.SendAsync<CaseView>(http, new(HttpMethod.Put, $"api/v1/cases/{caseId}/target-group")
        {
            Content = JsonContent.Create(new { unitId, targetGroup }, options: ServiceCalls.Json),
        }, ct);

    public Task<ServiceResult<CaseView>> CloseAsync(Guid caseId, Guid unitId, bool withEvaluationMeeting, IReadOnlyList<string> decidedBy, string comment,
        IReadOnlyList<GoalEvaluationInput> goalEvaluations, CancellationToken ct) =>
        ServiceCalls.SendAsync<CaseView>(http, Post($"api/v1/cases/{caseId}/close", new { unitId, withEvaluationMeeting, decidedBy, comment, goalEvaluations }), ct);

    /// <summary>The unit's inbox items of one kind (e.g. the LUS obligations not yet met), most pressing first.</summary>
    public Task<ServiceResult<InboxPage>> InboxAsync(Guid unitId, string kind, CancellationToken ct) =>
        ServiceCalls.SendAsync<InboxPage>(http, new(HttpMethod.Get, $"api/v1/cases/inbox?unitId={unitId}&kind={kind}&sort=due&pageSize={InboxPageSize}"), ct);

    private static HttpRequestMessage Post(string url, object body) => new(HttpMethod.Post, url)
    {
        Content = JsonContent.Create(body, options: ServiceCalls.Json),
    };
}

/// <summary>Unit names for headers and lists, per tenant, kept a few minutes (the directory changes rarely).</summary>
internal sealed class UnitDirectory(CaseClient cases, IMemoryCache cache, IHttpContextAccessor http)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);

    public async Task<IReadOnlyDictionary<Guid, string>> NamesAsync(CancellationToken ct)
    {
        var tenant = http.HttpContext?.User.FindFirstValue(SipClaims.Tenant) ?? "";
        if (cache.TryGetValue(("unit-names", tenant), out IReadOnlyDictionary<Guid, string>? names) && names is not null)
        {
            return names;
        }
        var result = await cases.UnitsAsync(ct);
        if (!result.Succeeded)
        {
            // Not cached: names come back as soon as the directory answers again.
            return new Dictionary<Guid, string>();
        }
        names = result.Value!.ToDictionary(u => u.UnitId, u => u.Name);
        cache.Set(("unit-names", tenant), names, KeepFor);
        return names;
    }
}
