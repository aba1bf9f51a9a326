using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sip.ServiceDefaults.Auth;

namespace Sip.ServiceDefaults;

/// <summary>
/// What a security review needs from every deployable's log (ASVS V7.1.3, V7.2.1, V7.2.2): each refused request —
/// 401 (with why the token was refused, as a type name), 403 and 429 — as one warning in category <c>Sip.Security</c>,
/// with the route, the caller's subject and tenant when known, inside the request's correlation scope. Nothing from the
/// request's body or query. And the response headers an API owes a browser that is pointed at it: no sniffing, no caching.
/// </summary>
public static partial class SecurityEvents
{
    public const string Category = "Sip.Security";

    /// <summary>Where authentication leaves the type name of a refused token's exception for this log.</summary>
    public static readonly object TokenFailureKey = new();

    public static Func<HttpContext, Func<Task>, Task> Middleware(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        return async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                // API answers carry personal data: no shared cache and no browser cache may keep them.
                if (context.Request.Path.StartsWithSegments("/api") && !headers.ContainsKey("Cache-Control"))
                {
                    headers.CacheControl = "no-store";
                }
                return Task.CompletedTask;
            });
            await next();
            var status = context.Response.StatusCode;
            if (status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden or StatusCodes.Status429TooManyRequests)
            {
                var user = context.User;
                Refused(logger, status, context.Request.Method, context.Request.Path.Value ?? "",
                    user.FindFirst(SipClaims.Subject)?.Value ?? "-", user.FindFirst(SipClaims.Tenant)?.Value ?? "-",
                    context.Items[TokenFailureKey] as string ?? "-");
            }
        };
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning,
        Message = "Request refused {Status} {Method} {Path} subject {Subject} tenant {Tenant} token failure {Failure}")]
    private static partial void Refused(ILogger logger, int status, string method, string path, string subject, string tenant, string failure);
}
