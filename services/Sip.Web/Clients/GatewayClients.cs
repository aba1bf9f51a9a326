using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Sip.Web.Auth;

namespace Sip.Web.Clients;

internal static class GatewayClients
{
    public const string CorrelationIdHeader = Sip.ServiceDefaults.Extensions.CorrelationIdHeader;

    /// <summary>
    /// One typed client per service, each calling it through the gateway (<c>Services:Gateway</c>) as the signed-in
    /// person, so the gateway's authentication, rate limits and correlation apply to the app as to any other client.
    /// </summary>
    public static void AddServiceClients(this WebApplicationBuilder builder)
    {
        var gateway = builder.Configuration["Services:Gateway"]
            ?? throw new InvalidOperationException("Services:Gateway must name the gateway's address (./sip: http://127.0.0.1:5080).");
        var baseAddress = new Uri(gateway.EndsWith('/') ? gateway : gateway + "/");
        builder.Services.AddTransient<UserTokenHandler>();
        builder.Services.AddHttpClient<CaseClient>(c => c.BaseAddress = baseAddress).AddHttpMessageHandler<UserTokenHandler>();
        builder.Services.AddHttpClient<MeetingsClient>(c => c.BaseAddress = baseAddress).AddHttpMessageHandler<UserTokenHandler>();
        builder.Services.AddHttpClient<ConsentClient>(c => c.BaseAddress = baseAddress).AddHttpMessageHandler<UserTokenHandler>();
        builder.Services.AddHttpClient<PlansClient>(c => c.BaseAddress = baseAddress).AddHttpMessageHandler<UserTokenHandler>();
        // No UserTokenHandler: SIP-kollen is answered anonymously, whoever is signed in on the computer.
        builder.Services.AddHttpClient<SurveyClient>(c => c.BaseAddress = baseAddress);
        builder.Services.AddHttpClient<SurveyCodesClient>(c => c.BaseAddress = baseAddress).AddHttpMessageHandler<UserTokenHandler>();
        builder.Services.AddScoped<UnitDirectory>();
    }
}

/// <summary>
/// Adds the signed-in person's access token, read from their server-side session, to each call; and the request's
/// correlation id, so one click is one id from the gateway through the app to the service.
/// </summary>
internal sealed class UserTokenHandler(IHttpContextAccessor http) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext is { } context)
        {
            if (await context.GetTokenAsync(StaffSignIn.AccessToken) is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            if (context.Request.Headers[GatewayClients.CorrelationIdHeader].ToString() is { Length: > 0 and <= 64 } correlationId)
            {
                request.Headers.TryAddWithoutValidation(GatewayClients.CorrelationIdHeader, correlationId);
            }
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
