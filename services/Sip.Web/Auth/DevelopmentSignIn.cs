using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Auth;

/// <summary>One of the runner's demo users (gateway/Sip.DevTools/demo-tenant.json), as <c>./sip token --user</c> knows them.</summary>
internal sealed record DemoUser(string User, string Subject, string Name, List<Guid> Units, List<string> Roles);

internal sealed record DemoTenantFile(string Tenant, List<DemoUser> Staff);

/// <summary>
/// Development only: signs a demo user in with a token minted here, by the local development issuer whose key
/// <c>./sip</c> keeps (<c>Auth:DevSigningKeyFile</c>), exactly as <c>./sip token --user NAME</c> would. Registered only
/// when the environment is Development, so nowhere else can a token be minted or the page be shown.
/// </summary>
internal sealed class DevelopmentSignIn
{
    public const string Path = "/inloggning/utveckling";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private readonly string _keyFile;
    private readonly string? _issuer;
    private readonly string? _audience;
    private readonly TimeProvider _clock;
    private readonly Lazy<DemoTenantFile> _tenant;

    public DevelopmentSignIn(IConfiguration configuration, IHostEnvironment environment, TimeProvider clock)
    {
        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("The development sign-in exists only in Development.");
        }
        _keyFile = configuration["Auth:DevSigningKeyFile"]
            ?? throw new InvalidOperationException("Auth:DevSigningKeyFile must name the development issuer's key (./sip keeps it in .sip/dev-signing-key.pem).");
        _issuer = configuration["Auth:Issuer"];
        _audience = configuration["Auth:Audience"];
        _clock = clock;
        var file = configuration["DevSignIn:DemoTenantFile"]
            ?? throw new InvalidOperationException("DevSignIn:DemoTenantFile must name the demo tenant (gateway/Sip.DevTools/demo-tenant.json).");
        _tenant = new(() => JsonSerializer.Deserialize<DemoTenantFile>(File.ReadAllText(file), new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{file} is empty."));
    }

    public string Tenant => _tenant.Value.Tenant;

    /// <summary>Demo users who can work in the app: those with a unit (the directory and statistics accounts have none).</summary>
    public IReadOnlyList<DemoUser> Users => _tenant.Value.Staff.Where(s => s.Units.Count > 0).ToList();

    public async Task<bool> SignInAsync(HttpContext context, string user)
    {
        var demo = Users.SingleOrDefault(u => u.User == user);
        if (demo is null)
        {
            return false;
        }
        var now = _clock.GetUtcNow();
        var token = DevelopmentTokens.Mint(_keyFile,
            new TokenRequest(demo.Subject, demo.Name, Tenant, demo.Units, demo.Roles, Lifetime, _issuer, _audience), _clock);
        var identity = new ClaimsIdentity("sip-dev", SipClaims.Name, SipClaims.Roles);
        identity.AddClaim(new Claim(SipClaims.Subject, demo.Subject));
        identity.AddClaim(new Claim(SipClaims.Name, demo.Name));
        identity.AddClaim(new Claim(SipClaims.Tenant, Tenant));
        identity.AddClaims(demo.Units.Select(u => new Claim(SipClaims.Units, u.ToString())));
        identity.AddClaims(demo.Roles.Select(r => new Claim(SipClaims.Roles, r)));
        var properties = new AuthenticationProperties { IsPersistent = false, ExpiresUtc = now + Lifetime, IssuedUtc = now };
        // The same two tokens the OpenID Connect handler saves, so everything after sign-in is one code path.
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = StaffSignIn.AccessToken, Value = token },
            new AuthenticationToken { Name = StaffSignIn.ExpiresAt, Value = (now + Lifetime).ToString("o", CultureInfo.InvariantCulture) },
        ]);
        await context.SignInAsync(CookieSession.Scheme, new ClaimsPrincipal(identity), properties);
        return true;
    }
}
