using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sip.Web.Clients;

// The case service's plan as this app reads and writes it (services/Sip.Case/Apis/PlansApi.cs, Domain/PlanContent.cs).
// Names match the service's exactly: it refuses a field it does not know. Kinds and statuses stay strings (CaseClient.cs).

public sealed record PlanParticipant(string Name, string Participation, string? Role = null, Guid? UnitId = null, string? Principal = null,
    string? HowInformed = null);

public sealed record PlanActivity(Guid Id, string What, string ResponsibleKind, Guid? ResponsibleUnitId = null, string? ResponsiblePerson = null,
    string? Principal = null, string? Timing = null, DateOnly? Start = null, DateOnly? End = null, string? Place = null, string Status = "NotStarted");

public sealed record ShortTermGoal(Guid Id, string Text, IReadOnlyList<PlanActivity> Activities);

public sealed record PlanFollowUp(string ConvenedBy, DateOnly? Date = null, string? Condition = null, DateOnly? NoLaterThan = null);

public sealed record PlanContent(
    IReadOnlyList<PlanParticipant> Participants,
    IReadOnlyList<string> FixedCareContacts,
    IReadOnlyList<string> LongTermGoals,
    IReadOnlyList<ShortTermGoal> ShortTermGoals,
    IReadOnlyList<string> Disagreements,
    bool NoMeasuresByOthers = false,
    string? Coordinator = null,
    Guid? CoordinatorUnitId = null,
    string? Chair = null,
    string? Reason = null,
    string? CurrentSituation = null,
    string? Strengths = null,
    string? OverallResponsibility = null,
    string? IndividualView = null,
    string? GuardiansView = null,
    string? CrisisPlan = null,
    PlanFollowUp? NextFollowUp = null)
{
    // Not a field of the service's: it refuses fields it does not know.
    [JsonIgnore]
    public IEnumerable<PlanActivity> Activities => ShortTermGoals.SelectMany(g => g.Activities);
}

public sealed record PlanSignature(string SignedBy, string How, DateOnly SignedOn);

public sealed record PlanCopy(string Recipient, string Channel, DateOnly SentOn, Guid UnitId, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ActivityStatusChange(Guid ActivityId, string Status, string? Comment, Guid UnitId, string By, DateTimeOffset At);

public sealed record ActivityState(Guid ActivityId, string Status, IReadOnlyList<ActivityStatusChange> History);

public sealed record PlanView(int Version, string Status, int Revision, PlanContent Content, DateTimeOffset MeetingAt, DateTimeOffset DueAt, bool Late,
    DateTimeOffset? SignedAt, DateTimeOffset? LockedAt, PlanSignature? IndividualSignature, PlanSignature? CoordinatorSignature,
    IReadOnlyList<string> CopyRecipients, IReadOnlyList<PlanCopy> Copies, IReadOnlyList<string> CopiesToSend, IReadOnlyList<ActivityState> Activities,
    IReadOnlyList<string> MissingLegalPoints)
{
    /// <summary>The ETag the service gives with the version (its revision): what If-Match names on the next write.</summary>
    [JsonIgnore]
    public string ETag { get; init; } = "";
}

public sealed record PlanSummary(int Version, string Status, DateTimeOffset MeetingAt, DateTimeOffset DueAt, bool Late, DateTimeOffset? SignedAt,
    DateTimeOffset? LockedAt);

public sealed record PlanChange(string Path, JsonNode? Before, JsonNode? After);

public sealed record PlanComparison(int From, int To, IReadOnlyList<PlanChange> Changes);

public sealed record ActivityDetails(string What, string? ResponsiblePerson, string? Timing, DateOnly? Start, DateOnly? End, string? Place);

public sealed record StaffEntry(string Subject, string Name, string? Title);

/// <summary>
/// A write refused because the plan changed since the person read it (412 <c>plan-changed</c>): who saved meanwhile,
/// which fields, and the ETag to save over it once the person has seen that.
/// </summary>
public sealed record PlanConflict(string? ChangedBy, IReadOnlyList<string> ChangedFields, string? CurrentETag);

internal readonly record struct PlanWrite(PlanView? Plan, ServiceProblem? Problem, PlanConflict? Conflict)
{
    public bool Succeeded => Problem is null;
}

/// <summary>The case service's plans (<c>/api/v1/cases/{caseId}/plans</c>) and the case's closure after evaluation.</summary>
internal sealed class PlansClient(HttpClient http)
{
    private static string Plans(Guid caseId) => $"api/v1/cases/{caseId}/plans";

    public Task<ServiceResult<List<PlanSummary>>> VersionsAsync(Guid caseId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<PlanSummary>>(http, new(HttpMethod.Get, $"{Plans(caseId)}?unitId={unitId}"), ct);

    public async Task<ServiceResult<PlanView>> VersionAsync(Guid caseId, int version, Guid unitId, CancellationToken ct)
    {
        var write = await SendAsync(new(HttpMethod.Get, $"{Plans(caseId)}/{version}?unitId={unitId}"), ct);
        return new(write.Plan, write.Problem);
    }

    public Task<PlanWrite> CreateAsync(Guid caseId, Guid unitId, DateTimeOffset meetingAt, CancellationToken ct) =>
        SendAsync(Post($"{Plans(caseId)}", new { unitId, meetingAt }), ct);

    public Task<PlanWrite> EditAsync(Guid caseId, int version, Guid unitId, PlanContent content, string etag, CancellationToken ct) =>
        SendAsync(WithIfMatch(new(HttpMethod.Put, $"{Plans(caseId)}/{version}") { Content = Json(new { unitId, content }) }, etag), ct);

    public Task<PlanWrite> SignAsync(Guid caseId, int version, Guid unitId, CancellationToken ct) =>
        SendAsync(Post($"{Plans(caseId)}/{version}/sign", new { unitId }), ct);

    public Task<PlanWrite> EditActivityAsync(Guid caseId, int version, Guid activityId, Guid unitId, ActivityDetails activity, string etag, CancellationToken ct) =>
        SendAsync(WithIfMatch(new(HttpMethod.Put, $"{Plans(caseId)}/{version}/activities/{activityId}") { Content = Json(new { unitId, activity }) }, etag), ct);

    public Task<PlanWrite> LockAsync(Guid caseId, int version, Guid unitId, PlanSignature individualSignature, PlanSignature coordinatorSignature, string etag,
        CancellationToken ct) =>
        SendAsync(WithIfMatch(Post($"{Plans(caseId)}/{version}/lock", new { unitId, individualSignature, coordinatorSignature }), etag), ct);

    public Task<PlanWrite> SetActivityStatusAsync(Guid caseId, int version, Guid activityId, Guid unitId, string status, string? comment, CancellationToken ct) =>
        SendAsync(Post($"{Plans(caseId)}/{version}/activities/{activityId}/status", new { unitId, status, comment }), ct);

    public Task<ServiceResult<PlanComparison>> CompareAsync(Guid caseId, int from, int to, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<PlanComparison>(http, new(HttpMethod.Get, $"{Plans(caseId)}/compare?from={from}&to={to}&unitId={unitId}"), ct);

    /// <summary>Evaluation and closure (<c>POST /api/v1/cases/{caseId}/close</c>): the coordinator's unit, after at least one follow-up.</summary>
    public Task<ServiceResult<JsonElement>> CloseAsync(Guid caseId, Guid unitId, bool withEvaluationMeeting, IReadOnlyList<string> decidedBy, string comment,
        IReadOnlyList<GoalEvaluationInput> goalEvaluations, CancellationToken ct) =>
        ServiceCalls.SendAsync<JsonElement>(http, Post($"api/v1/cases/{caseId}/close", new { unitId, withEvaluationMeeting, decidedBy, comment, goalEvaluations }), ct);

    /// <summary>A locked version as a PDF, as the service sends it: the app passes it on to the browser.</summary>
    public Task<HttpResponseMessage> PdfAsync(Guid caseId, int version, Guid unitId, CancellationToken ct) =>
        http.GetAsync($"{Plans(caseId)}/{version}/pdf?unitId={unitId}", HttpCompletionOption.ResponseHeadersRead, ct);

    public Task<ServiceResult<List<StaffEntry>>> StaffAsync(Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<StaffEntry>>(http, new(HttpMethod.Get, $"api/v1/cases/units/{unitId}/staff"), ct);

    private static HttpRequestMessage Post(string path, object body) => new(HttpMethod.Post, path) { Content = Json(body) };

    private static JsonContent Json(object body) => JsonContent.Create(body, options: ServiceCalls.Json);

    private static HttpRequestMessage WithIfMatch(HttpRequestMessage request, string etag)
    {
        if (EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfMatch.Add(tag);
        }
        return request;
    }

    private async Task<PlanWrite> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                using var copy = new HttpResponseMessage(response.StatusCode) { Content = new StringContent(body) };
                copy.Content.Headers.ContentType = response.Content.Headers.ContentType;
                var problem = await ServiceCalls.ProblemAsync(copy, ct);
                return new(null, problem, problem.Slug == "plan-changed" ? ConflictOf(body) : null);
            }
            var plan = await response.Content.ReadFromJsonAsync<PlanView>(ServiceCalls.Json, ct);
            return plan is null
                ? new(null, ServiceProblem.Unreadable, null)
                : new(plan with { ETag = response.Headers.ETag?.ToString() ?? $"\"{plan.Revision}\"" }, null, null);
        }
        catch (HttpRequestException)
        {
            return new(null, ServiceProblem.FromStatus(502), null);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(null, ServiceProblem.FromStatus(504), null);
        }
        catch (JsonException)
        {
            return new(null, ServiceProblem.Unreadable, null);
        }
    }

    private static PlanConflict? ConflictOf(string body)
    {
        try
        {
            var root = JsonNode.Parse(body);
            var fields = root?["changedFields"] is JsonArray array ? array.Select(f => f?.GetValue<string>() ?? "").Where(f => f.Length > 0).ToList() : [];
            return new PlanConflict(root?["changedBy"]?.GetValue<string>(), fields, root?["currentETag"]?.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>Who a staff subject is, by name, from the directories of the units that may have written the plan.</summary>
internal static class StaffNames
{
    public static async Task<string?> NameOfAsync(PlansClient plans, string? subject, IEnumerable<Guid> units, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return null;
        }
        foreach (var unit in units.Distinct())
        {
            var staff = await plans.StaffAsync(unit, ct);
            if (staff.Value?.FirstOrDefault(s => s.Subject == subject) is { } person)
            {
                return person.Name;
            }
        }
        return null;
    }
}
