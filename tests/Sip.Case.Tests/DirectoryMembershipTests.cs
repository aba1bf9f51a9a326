using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Sip.ServiceDefaults.Auth;

namespace Sip.Case.Tests;

/// <summary>The directory check fails closed: a token cannot bring its own units or administration past it.</summary>
public sealed class DirectoryMembershipTests
{
    private static readonly Guid Unit = Guid.NewGuid();

    private static Task<ClaimsPrincipal> TransformAsync(params Claim[] claims) =>
        new DirectoryMembership(new ServiceCollection().BuildServiceProvider(),
                new MemoryCache(new MemoryCacheOptions()), new HttpContextAccessor())
            .TransformAsync(new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer", SipClaims.Name, SipClaims.Roles)));

    [Fact]
    public async Task A_token_without_a_subject_keeps_no_units_and_no_claims_of_ours()
    {
        var principal = await TransformAsync(
            new Claim(SipClaims.Tenant, "tenant-a"), new Claim(SipClaims.Units, Unit.ToString()), new Claim(SipClaims.Roles, SipRoles.UnitAdministrator),
            new Claim(DirectoryMembership.AdministeredUnitClaim, Unit.ToString()), new Claim("sip:directory", "1"));

        Assert.Empty(SipUser.From(principal).UnitIds);
        Assert.Empty(DirectoryMembership.AdministeredUnits(principal));
        Assert.DoesNotContain(principal.Claims, c => c.Type.StartsWith("sip:", StringComparison.Ordinal));
        Assert.Equal("tenant-a", SipUser.From(principal).TenantId);
    }
}
