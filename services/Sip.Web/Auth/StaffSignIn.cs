using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Auth;

/// <summary>
/// Sign-in for staff. The app is a backend-for-frontend: the browser holds a session cookie (HttpOnly, SameSite=Lax,
/// Secure outside Development) and nothing else; the access token the services want stays in the server-side ticket
/// (<see cref="ServerSideTicketStore"/>) and is added to the app's own calls to the gateway.
/// <list type="bullet">
/// <item>With <c>Oidc:Authority</c>: OpenID Connect, authorization code with PKCE, against the region's identity provider
/// (SITHS eID through the national IdP in production). Required outside Development.</item>
/// <item>Without it, in Development only: the demo users sign in on <see cref="DevelopmentSignIn.Path"/>.</item>
/// </list>
/// </summary>
internal static class StaffSignIn
{
    public const string AccessToken = "access_token";
    public const string ExpiresAt = "expires_at";
    public const string SignInPath = "/inloggning";
    public const string SignOutPath = "/utloggning";
    public const string SignedOutPath = "/utloggning/klar";
    public const string UnitPath = "/enhet";
    public const string ReturnUrlParameter = "returnUrl";
    private static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(8);

    public static void AddStaffSignIn(this WebApplicationBuilder builder)
    {
        var oidc = builder.Configuration.GetSection("Oidc");
        var useOidc = !string.IsNullOrWhiteSpace(oidc["Authority"]);
        var development = builder.Environment.IsDevelopment();
        // Decided while the app is built, so a misconfigured pod fails to start rather than failing every sign-in.
        if (!useOidc && !development)
        {
            throw new InvalidOperationException("Oidc:Authority (the region's identity provider) is required outside Development; the demo sign-in exists only there.");
        }

        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSingleton<ServerSideTicketStore>();
        builder.Services.AddScoped<UnitChoice>();
        if (development)
        {
            builder.Services.AddSingleton<DevelopmentSignIn>();
        }

        var authentication = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieSession.Scheme;
            o.DefaultChallengeScheme = useOidc ? OpenIdConnectDefaults.AuthenticationScheme : CookieSession.Scheme;
        });
        authentication.AddCookie(CookieSession.Scheme, o =>
        {
            o.Cookie.Name = "sip-session";
            o.Cookie.HttpOnly = true;
            // Lax, not Strict: a link in a notification e-mail is a cross-site navigation, and must open the page signed in.
            // Every form carries an antiforgery token, so Lax costs no protection against cross-site posts.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.ExpireTimeSpan = SessionLifetime;
            o.SlidingExpiration = false;
            o.LoginPath = DevelopmentSignIn.Path;
            o.ReturnUrlParameter = ReturnUrlParameter;
            o.Events.OnValidatePrincipal = RejectExpiredAccessToken;
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieSession.Scheme)
            .Configure<ServerSideTicketStore>((o, store) => o.SessionStore = store);

        if (useOidc)
        {
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = oidc["Authority"];
                o.ClientId = oidc["ClientId"] ?? throw new InvalidOperationException("Oidc:ClientId is required with Oidc:Authority.");
                o.ClientSecret = oidc["ClientSecret"];
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = oidc.GetValue("UseUserInfo", false);
                o.Scope.Clear();
                foreach (var scope in (oidc["Scope"] ?? "openid profile").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    o.Scope.Add(scope);
                }
                o.CallbackPath = "/inloggning/oidc";
                o.SignedOutCallbackPath = "/utloggning/oidc";
                o.SignedOutRedirectUri = SignedOutPath;
                o.RequireHttpsMetadata = !development;
                o.TokenValidationParameters.NameClaimType = SipClaims.Name;
                o.TokenValidationParameters.RoleClaimType = SipClaims.Roles;
                o.Events.OnTokenValidated = AddPlatformClaimsFromAccessToken;
                if (development)
                {
                    // Over plain http (a local identity provider) browsers refuse the SameSite=None cookies that form_post
                    // needs; the code comes back in the query instead, to a top-level GET that Lax cookies reach.
                    o.ResponseMode = OpenIdConnectResponseMode.Query;
                    o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
                    o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }
            });
        }

        // Every page needs a signed-in person unless it says otherwise (sign-in, signed out, not found, assets, health).
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    public static void MapSignInEndpoints(this WebApplication app)
    {
        // Where a "Logga in" link goes: straight to the identity provider (or the demo users' page) and back to returnUrl.
        app.MapGet(SignInPath, ([FromQuery(Name = ReturnUrlParameter)] string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = LocalUrl.OrHome(returnUrl) })).AllowAnonymous();

        app.MapPost(SignOutPath, async (HttpContext context) =>
        {
            // Signing out of the cookie removes the session from the ticket store too. With OpenID Connect, the identity
            // provider's session ends as well (first, while the ID token is still there to name it).
            var schemes = context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>();
            if (await schemes.GetSchemeAsync(OpenIdConnectDefaults.AuthenticationScheme) is not null)
            {
                return Results.SignOut(new AuthenticationProperties { RedirectUri = SignedOutPath },
                    [OpenIdConnectDefaults.AuthenticationScheme, CookieSession.Scheme]);
            }
            await context.SignOutAsync(CookieSession.Scheme);
            return Results.LocalRedirect(SignedOutPath);
        }).AllowAnonymous();

        // The unit switcher in the header: remembered in a cookie, then back to the page the person was on.
        app.MapPost(UnitPath, ([FromForm(Name = UnitChoice.QueryKey)] Guid unitId, [FromForm(Name = ReturnUrlParameter)] string? returnUrl, HttpContext context) =>
        {
            if (UnitChoice.UnitsOf(context.User).Contains(unitId))
            {
                UnitChoice.Remember(context.Response, unitId, context.Request.IsHttps);
            }
            return Results.LocalRedirect(LocalUrl.OrHome(returnUrl));
        });
    }

    /// <summary>
    /// A session whose access token has run out is over: the services would refuse every call. The person signs in
    /// again (silently, while their session at the identity provider lasts) and comes back to the same page.
    /// </summary>
    private static async Task RejectExpiredAccessToken(CookieValidatePrincipalContext context)
    {
        var expiresAt = context.Properties.GetTokenValue(ExpiresAt);
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (expiresAt is null
            || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            || expires <= clock.GetUtcNow().AddSeconds(30))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieSession.Scheme);
        }
    }

    /// <summary>
    /// The tenant, units and roles decide which units the header offers. When the ID token does not carry them, they are
    /// read from the access token the platform issues for the services — for display only: the services validate that
    /// token and decide, with the staff directory, what each unit may do.
    /// </summary>
    private static Task AddPlatformClaimsFromAccessToken(TokenValidatedContext context)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || identity.HasClaim(c => c.Type == SipClaims.Tenant)
            || context.TokenEndpointResponse?.AccessToken is not { Length: > 0 } accessToken)
        {
            return Task.CompletedTask;
        }
        var handler = new JsonWebTokenHandler();
        if (handler.CanReadToken(accessToken))
        {
            var token = handler.ReadJsonWebToken(accessToken);
            identity.AddClaims(token.Claims.Where(c => c.Type is SipClaims.Tenant or SipClaims.Units or SipClaims.Roles)
                .Select(c => new Claim(c.Type, c.Value)));
        }
        return Task.CompletedTask;
    }
}
