using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Sip.ServiceDefaults.Auth;

/// <summary>One unit the staff directory lists a person in, with the person's roles there.</summary>
public sealed record UnitMembership(Guid UnitId, IReadOnlyList<string> Roles);

/// <summary>
/// Where the directory's memberships come from: the case service keeps the directory and reads its own
/// database; every other service asks the case service (<see cref="StaffDirectoryClient"/>).
/// </summary>
public interface IStaffDirectory
{
    Task<IReadOnlyList<UnitMembership>> MembershipsAsync(SipUser user, CancellationToken ct);
}

/// <summary>
/// The staff directory decides which units a person may act for. The token (from the region's identity
/// provider) names the units the person signed in for; a unit counts only while the directory lists the person
/// in it as staff, so a unit administrator who removes someone from the unit removes their access to its cases,
/// consent records, summons and deliveries. Units the person administers (directory role <c>unit-administrator</c>,
/// with that role in the token too) are added as <see cref="AdministeredUnitClaim"/> claims.
/// </summary>
/// <remarks>
/// Directory rows are cached for <see cref="CacheFor"/>; a change made through this replica of the case service
/// applies there at once (<see cref="Forget"/>), everywhere else within that time. When the directory cannot be
/// answered the request fails (503) rather than going on with fewer units or with the token's.
/// </remarks>
public sealed class DirectoryMembership(IServiceProvider services, IMemoryCache cache, IHttpContextAccessor http) : IClaimsTransformation
{
    private const string OurPrefix = "sip:";
    public const string AdministeredUnitClaim = OurPrefix + "administers";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        // Health, metrics and OpenAPI need no units: probes and scrapes skip the work (~15 % of a health check's cost).
        if (principal.Identity is not ClaimsIdentity { IsAuthenticated: true } identity
            || http.HttpContext?.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return principal;
        }
        // Transformed once per authentication (a new principal each time): a claim of ours that is already there came
        // from the token, so it is dropped, as are units nobody can be looked up for.
        var user = SipUser.From(principal);
        var checkedIdentity = new ClaimsIdentity(identity.Claims.Where(c => c.Type != SipClaims.Units && !c.Type.StartsWith(OurPrefix, StringComparison.Ordinal)),
            identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType);
        var memberships = await MembershipsAsync(user);

        var staffOf = memberships.Where(m => m.Roles.Contains(SipRoles.Staff)).Select(m => m.UnitId).ToHashSet();
        checkedIdentity.AddClaims(user.UnitIds.Where(staffOf.Contains).Select(u => new Claim(SipClaims.Units, u.ToString())));
        if (user.HasRole(SipRoles.UnitAdministrator))
        {
            checkedIdentity.AddClaims(memberships.Where(m => m.Roles.Contains(SipRoles.UnitAdministrator))
                .Select(m => new Claim(AdministeredUnitClaim, m.UnitId.ToString())));
        }
        return new ClaimsPrincipal(checkedIdentity);
    }

    /// <summary>What the directory lists the caller in (none for a token without tenant or subject), cached.</summary>
    public async Task<IReadOnlyList<UnitMembership>> MembershipsAsync(SipUser user)
    {
        if (user.TenantId.Length == 0 || user.Subject.Length == 0)
        {
            return [];
        }
        return await cache.GetOrCreateAsync(Key(user.TenantId, user.Subject), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            // Resolved only on a miss: in the case service the source rents a pooled database context, which costs
            // more than the cache lookup.
            return await services.GetRequiredService<IStaffDirectory>().MembershipsAsync(user, http.HttpContext?.RequestAborted ?? default);
        }) ?? [];
    }

    public static IReadOnlySet<Guid> AdministeredUnits(ClaimsPrincipal principal) =>
        principal.FindAll(AdministeredUnitClaim).Select(c => Guid.Parse(c.Value)).ToHashSet();

    public void Forget(string tenantId, string subject) => cache.Remove(Key(tenantId, subject));

    private static (string, string, string) Key(string tenantId, string subject) => ("staff", tenantId, subject);
}
