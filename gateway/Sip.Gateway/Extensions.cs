using OpenTelemetry.Metrics;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;

namespace Sip.Gateway;

public sealed class GatewayOptions
{
    /// <summary>Requests per second each tenant may make, as a token bucket.</summary>
    public int TenantPermitsPerSecond { get; set; } = 200;

    /// <summary>Burst a tenant may make at once (the bucket's size).</summary>
    public int TenantBurst { get; set; } = 400;

    /// <summary>
    /// Requests a minute one client address may make to the anonymous routes that take a secret (SIP-kollen's form and
    /// its one-time codes): far too few to guess a code among 31^8. The staff web app calls the API for every
    /// respondent from its one address, so this is also the survey's national ceiling through the form (5 a second).
    /// </summary>
    public int AnonymousPermitsPerMinute { get; set; } = 300;

    /// <summary>
    /// API requests this gateway forwards at once; one more is answered 503 with <c>Retry-After</c> (0: no limit).
    /// Size it as the API rate one gateway replica should carry × the API's latency when the services are saturated:
    /// 64 carries ~3,000 requests/s at 20 ms; at 1× on the 2-core box it held p99 at 0.4–0.6 s, 3.5 s without (run AE).
    /// </summary>
    public int MaxConcurrentApiRequests { get; set; } = 64;
}

internal static class Extensions
{
    public const string PerTenantPolicy = "per-tenant";
    public const string PerClientAddressPolicy = "per-client-address";

    public static void AddGateway(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<AdmissionControl>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(AdmissionControl.MeterName));
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var problem = Problems.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "För många förfrågningar",
                    context.HttpContext.User.Identity?.IsAuthenticated == true
                        ? "Organisationens gräns för antal förfrågningar per sekund är nådd. Försök igen om en stund."
                        : "För många försök från samma adress. Vänta en minut och försök igen.");
                await problem.ExecuteAsync(context.HttpContext);
            };
            o.AddPolicy(PerTenantPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                context.User.FindFirstValue(SipClaims.Tenant) ?? "",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.TenantBurst,
                    TokensPerPeriod = options.TenantPermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            // Anonymous callers have no tenant: partitioned by the address the request came from.
            o.AddPolicy(PerClientAddressPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.AnonymousPermitsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
    }

    /// <summary>
    /// A page listing every service's OpenAPI document, each served through the gateway: the services with a route to
    /// <c>/openapi/{service}/v1.json</c> (the staff web app is routed too, but has no API to describe).
    /// </summary>
    public static void MapOpenApiIndex(this WebApplication app)
    {
        var services = app.Configuration.GetSection("ReverseProxy:Routes").GetChildren()
            .Select(r => (Cluster: r["ClusterId"], Path: r["Match:Path"]))
            .Where(r => r.Cluster is not null && r.Path == $"/openapi/{r.Cluster}/v1.json")
            .Select(r => r.Cluster!).Distinct().Order().ToList();
        app.MapGet("/openapi", () => Results.Content($"""
            <!doctype html>
            <html lang="sv"><head><meta charset="utf-8"><title>SIP-plattformen – API-beskrivningar</title></head>
            <body><h1>API-beskrivningar (OpenAPI)</h1><ul>
            {string.Concat(services.Select(s => $"<li><a href=\"/openapi/{s}/v1.json\">{s}</a></li>"))}
            </ul></body></html>
            """, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
    }
}

/// <summary>
/// Gives every request a correlation id (kept from the caller when it is a well-formed one), passes it
/// to the services and returns it, so a municipality's support desk and our SREs can talk about one request.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next)
{
    public const string Header = Sip.ServiceDefaults.Extensions.CorrelationIdHeader;

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    public Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = incoming.Length is > 0 and <= 64 && !incoming.AsSpan().ContainsAnyExcept(Allowed)
            ? incoming
            : Guid.NewGuid().ToString("N");
        context.Request.Headers[Header] = id;
        context.Response.Headers[Header] = id;
        return next(context);
    }
}
