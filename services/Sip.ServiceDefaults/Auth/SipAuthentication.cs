using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Sip.ServiceDefaults.Auth;

public static class SipAuthentication
{
    /// <summary>
    /// Production trusts the region's OIDC provider (<c>Auth:Authority</c>). Outside Production the
    /// development issuer's key (<c>Auth:DevSigningKeyFile</c>, minted by <c>./sip token</c>) is
    /// accepted instead; in Production that key is never read.
    /// </summary>
    public static IServiceCollection AddSipAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var auth = configuration.GetSection("Auth");
        var authority = auth["Authority"];
        var devKeyFile = auth["DevSigningKeyFile"];
        var audience = auth["Audience"] ?? SipClaims.DefaultAudience;

        // Decided here, while the app is built, so a misconfigured Production pod fails to start
        // instead of starting and then failing every request.
        SecurityKey? devKey = null;
        if (string.IsNullOrWhiteSpace(authority))
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException("Auth:Authority must name the OIDC issuer in Production; development tokens are not accepted there.");
            }
            if (string.IsNullOrWhiteSpace(devKeyFile))
            {
                throw new InvalidOperationException("Set Auth:Authority (OIDC) or Auth:DevSigningKeyFile (development issuer).");
            }
            devKey = DevelopmentTokens.LoadPublicKey(devKeyFile);
        }

        var cacheValidations = auth.GetValue<bool>("CacheValidatedTokens");
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            if (cacheValidations)
            {
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new CachingJsonWebTokenHandler(TimeProvider.System));
            }
            o.MapInboundClaims = false;
            // Why a token was refused, for the security log (SecurityEvents): the exception's type, never its message.
            o.Events = new JwtBearerEvents
            {
                OnAuthenticationFailed = context =>
                {
                    context.HttpContext.Items[SecurityEvents.TokenFailureKey] = context.Exception.GetType().Name;
                    return Task.CompletedTask;
                },
            };
            // Nothing reads the token back from the authentication properties (the gateway forwards
            // the Authorization header as it came); storing it costs a dictionary per request.
            o.SaveToken = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidAudience = audience,
                NameClaimType = SipClaims.Name,
                RoleClaimType = SipClaims.Roles,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            if (devKey is null)
            {
                o.Authority = authority;
                o.RequireHttpsMetadata = !environment.IsDevelopment();
            }
            else
            {
                o.TokenValidationParameters.ValidIssuer = auth["Issuer"] ?? DevelopmentTokens.DefaultIssuer;
                o.TokenValidationParameters.IssuerSigningKey = devKey;
            }
        });

        var member = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(SipClaims.Tenant).Build();
        services.AddAuthorizationBuilder()
            // Fallback for endpoints without a policy; default for the gateway's routes ("default").
            .SetFallbackPolicy(member)
            .SetDefaultPolicy(member)
            // Named policies replace the fallback, so each repeats the tenant requirement.
            .AddPolicy(SipPolicies.UnitAdministrator, p => p.RequireAuthenticatedUser().RequireClaim(SipClaims.Tenant).RequireRole(SipRoles.UnitAdministrator, SipRoles.DirectoryAdministrator))
            .AddPolicy(SipPolicies.Statistician, p => p.RequireAuthenticatedUser().RequireClaim(SipClaims.Tenant).RequireRole(SipRoles.Statistician))
            .AddPolicy(SipPolicies.Auditor, p => p.RequireAuthenticatedUser().RequireClaim(SipClaims.Tenant).RequireRole(SipRoles.Auditor));
        return services;
    }
}

public static class SipPolicies
{
    /// <summary>Maintains the directory: a unit administrator (for their own units) or a directory administrator (the whole tenant).</summary>
    public const string UnitAdministrator = "unit-administrator";
    public const string Statistician = "statistician";
    /// <summary>Reviews the access log (issue 13): the tenant's auditors only.</summary>
    public const string Auditor = "auditor";
}

public static class SipRoles
{
    public const string Staff = "staff";
    public const string UnitAdministrator = "unit-administrator";
    /// <summary>Tenant-wide: creates units and imports the directory (e.g. the region's HSA catalogue). A role from the identity provider, not per unit.</summary>
    public const string DirectoryAdministrator = "directory-administrator";
    public const string Statistician = "statistician";
    public const string Auditor = "auditor";
}

public static class SipClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Tenant = "tenant";
    public const string Units = "units";
    public const string Roles = "roles";
    public const string DefaultAudience = "sip-platform";
}

internal static class RsaKeys
{
    public static RSA FromPemFile(string path)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        return rsa;
    }
}
