using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Clients;

// The case service's views as this app reads them. Kinds and statuses stay strings: a value a newer service adds shows
// as a general text instead of breaking the page (Components/Shared/Words.cs).

internal sealed record InboxItem(string Kind, Guid ItemId, Guid CaseId, string CaseReference, string Urgency, Guid? FromUnitId,
    DateTimeOffset ReceivedAt, DateTimeOffset? DueAt, bool Overdue, int? PlanVersion, string? Obligation);

internal sealed record InboxPage(IReadOnlyList<InboxItem> Items, int Total, int Page, int PageSize, DateTimeOffset AsOf);

internal sealed record UnitInfo(Guid UnitId, string Name, string? Type);

internal sealed record CaseView(Guid CaseId, string Reference, string Urgency, string Status, Guid OpenedByUnitId, DateTimeOffset OpenedAt);

/// <summary>The case service (<c>/api/v1/cases</c>): a unit's inbox, the unit directory, a case.</summary>
internal sealed class CaseClient(HttpClient http)
{
    /// <summary>The most the service gives on one page; the inbox says when there are more.</summary>
    public const int InboxPageSize = 100;

    public Task<ServiceResult<InboxPage>> InboxAsync(Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<InboxPage>(http, new(HttpMethod.Get, $"api/v1/cases/inbox?unitId={unitId}&sort=due&pageSize={InboxPageSize}"), ct);

    public Task<ServiceResult<List<UnitInfo>>> UnitsAsync(CancellationToken ct) =>
        ServiceCalls.SendAsync<List<UnitInfo>>(http, new(HttpMethod.Get, "api/v1/cases/units"), ct);

    public Task<ServiceResult<CaseView>> CaseAsync(Guid caseId, CancellationToken ct) =>
        ServiceCalls.SendAsync<CaseView>(http, new(HttpMethod.Get, $"api/v1/cases/{caseId}"), ct);
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
