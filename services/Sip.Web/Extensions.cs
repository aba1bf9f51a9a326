using System.Globalization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sip.ServiceDefaults;

namespace Sip.Web;

internal static class Extensions
{
    public static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static void AddWebApp(this WebApplicationBuilder builder)
    {
        // One language: every request renders Swedish dates, numbers and sort order whatever the browser asks for.
        CultureInfo.DefaultThreadCurrentCulture = Swedish;
        CultureInfo.DefaultThreadCurrentUICulture = Swedish;

        builder.Services.AddRazorComponents();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddMemoryCache();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only the gateway reaches the app (a ClusterIP Service, 127.0.0.1 locally), and the OIDC redirect URI and
            // the cookies' Secure flag must follow the address the browser used, not the gateway's hop to us.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
        });
    }

    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void UseWebDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/fel", createScopeForErrors: true);
            app.UseHsts();
        }
        app.UseStatusCodePagesWithReExecute("/hittades-inte", createScopeForStatusCodePages: true);
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                // Pages show personal data: kept by no shared cache, nor by the browser on a shared computer. Static assets
                // keep the long, fingerprinted caching MapStaticAssets gives them.
                if (!headers.ContainsKey("Cache-Control"))
                {
                    headers.CacheControl = "no-store";
                }
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                // Scripts, styles and fonts only from the app itself (no inline script or style anywhere in it), nothing
                // framed, forms posted only back to it. Documents passed through set a stricter policy of their own.
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                }
                return Task.CompletedTask;
            });
            await next();
        });
    }

    /// <summary>Probes and scrapes, without sign-in. Ready does not wait for the services: the app shows their absence itself.</summary>
    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") }).AllowAnonymous();
        app.MapMetricsEndpoint();
    }
}
