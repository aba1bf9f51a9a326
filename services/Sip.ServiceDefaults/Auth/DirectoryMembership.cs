using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Sip.Case.Domain;
using Sip.ServiceDefaults.Auth;

namespace Sip.Case.Infrastructure;

/// <summary>
/// The staff directory decides which units a person may act for. The token (from the region's identity
/// provider) names the units the person signed in for; a unit counts only while the directory lists the person
/// in it as staff, so a unit administrator who removes someone from the unit removes their access to its cases.
/// Units the person administers (directory role <c>unit-administrator</c>, with that role in the token too)
/// are added as <see cref="AdministeredUnitClaim"/> claims.
/// </summary>
/// <remarks>
/// Directory rows are cached for <see cref="CacheFor"/>; a change made through this replica applies at once
/// (<see cref="Forget"/>), one made through another replica within that time.
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
        if (user.TenantId.Length == 0 || user.Subject.Length == 0)
        {
            return new ClaimsPrincipal(checkedIdentity);
        }
        var memberships = await cache.GetOrCreateAsync(Key(user.TenantId, user.Subject), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            // Resolved only on a miss: renting a pooled context for every request costs more than the cache lookup.
            var db = services.GetRequiredService<CaseDbContext>();
            return await db.Staff.AsNoTracking().Where(s => s.TenantId == user.TenantId && s.Subject == user.Subject)
                .Select(s => s.Memberships).SingleOrDefaultAsync() ?? [];
        }) ?? [];

        var staffOf = memberships.Where(m => m.Roles.Contains(SipRoles.Staff)).Select(m => m.UnitId).ToHashSet();
        checkedIdentity.AddClaims(user.UnitIds.Where(staffOf.Contains).Select(u => new Claim(SipClaims.Units, u.ToString())));
        if (user.HasRole(SipRoles.UnitAdministrator))
        {
            checkedIdentity.AddClaims(memberships.Where(m => m.Roles.Contains(SipRoles.UnitAdministrator))
                .Select(m => new Claim(AdministeredUnitClaim, m.UnitId.ToString())));
        }
        return new ClaimsPrincipal(checkedIdentity);
    }

    public static IReadOnlySet<Guid> AdministeredUnits(ClaimsPrincipal principal) =>
        principal.FindAll(AdministeredUnitClaim).Select(c => Guid.Parse(c.Value)).ToHashSet();

    public void Forget(string tenantId, string subject) => cache.Remove(Key(tenantId, subject));

    private static (string, string, string) Key(string tenantId, string subject) => ("staff", tenantId, subject);
}
