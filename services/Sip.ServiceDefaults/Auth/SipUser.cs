using System.Security.Claims;

namespace Sip.ServiceDefaults.Auth;

/// <summary>The caller as the token describes them: who, in which tenant, for which units, in which roles.</summary>
public sealed record SipUser(string Subject, string DisplayName, string TenantId, IReadOnlySet<Guid> UnitIds, IReadOnlySet<string> Roles)
{
    public static SipUser From(ClaimsPrincipal principal)
    {
        var units = principal.FindAll(SipClaims.Units)
            .Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty)
            .ToHashSet();
        return new SipUser(
            principal.FindFirstValue(SipClaims.Subject) ?? "",
            principal.FindFirstValue(SipClaims.Name) ?? "",
            principal.FindFirstValue(SipClaims.Tenant) ?? "",
            units,
            principal.FindAll(SipClaims.Roles).Select(c => c.Value).ToHashSet());
    }

    public bool IsMemberOf(Guid unitId) => UnitIds.Contains(unitId);

    public bool HasRole(string role) => Roles.Contains(role);
}
