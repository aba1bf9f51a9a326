using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sip.Contracts.Grpc.Case.V1;

namespace Sip.ServiceDefaults.Auth;

/// <summary>
/// The case service's staff directory, asked over gRPC with the caller's own token: the answer is about whoever
/// the token names, so the request carries no one's identity of its own.
/// </summary>
public sealed class StaffDirectoryClient(StaffDirectory.StaffDirectoryClient grpc, ILogger<StaffDirectoryClient> logger) : IStaffDirectory
{
    public async Task<IReadOnlyList<UnitMembership>> MembershipsAsync(SipUser user, CancellationToken ct)
    {
        try
        {
            var reply = await grpc.GetMyMembershipsAsync(new GetMyMembershipsRequest(), cancellationToken: ct);
            return [.. reply.Memberships.Select(m => new UnitMembership(Guid.Parse(m.UnitId), [.. m.Roles]))];
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            // Without the directory nobody's units can be checked: the request is refused rather than let through on the
            // token's word. Logged here because a handled problem is not logged again (the status names no one).
            logger.LogWarning("The case service's staff directory did not answer ({StatusCode}); the request gets 503", e.StatusCode);
            throw new DomainException("directory-unavailable", "Behörigheten kan inte kontrolleras just nu",
                "Personalkatalogen svarar inte, så det går inte att se vilka enheter du arbetar för. Inget har ändrats; försök igen om en stund.",
                StatusCodes.Status503ServiceUnavailable, e);
        }
    }
}

/// <summary>Another service authorises the call with the caller's own token, not with one of ours.</summary>
public sealed class ForwardCallerTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = accessor.HttpContext?.Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(authorization))
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return base.SendAsync(request, cancellationToken);
    }
}

public static class StaffDirectoryRegistration
{
    /// <summary>A token's units count only where the directory, read from <typeparamref name="TSource"/>, lists the caller.</summary>
    public static IServiceCollection AddDirectoryMembership<TSource>(this IServiceCollection services) where TSource : class, IStaffDirectory
    {
        services.AddMemoryCache();
        services.AddHttpContextAccessor();
        services.AddScoped<IStaffDirectory, TSource>();
        services.AddScoped<DirectoryMembership>();
        services.AddScoped<IClaimsTransformation>(sp => sp.GetRequiredService<DirectoryMembership>());
        return services;
    }

    /// <summary>The same check in a service that does not keep the directory: it asks the case service (<c>Services:CaseGrpc</c>).</summary>
    public static void AddDirectoryMembershipFromCase(this IHostApplicationBuilder builder)
    {
        // Every request of a caller whose memberships are not cached waits on this: a few quick retries, then a
        // clear 503, instead of the standard handler's 30 s.
        builder.AddCallerTokenGrpcClient<StaffDirectory.StaffDirectoryClient>("Services:CaseGrpc", "the case service's gRPC endpoint (it keeps the staff directory)", o =>
        {
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddDirectoryMembership<StaffDirectoryClient>();
    }

    /// <summary>
    /// A gRPC client of another service, at the address configured under <paramref name="addressKey"/>, that calls it with
    /// the caller's own token behind the standard resilience handler (retries, then a circuit breaker so an outage fails fast).
    /// A <paramref name="name"/> registers a named client (<c>GrpcClientFactory.CreateClient&lt;TClient&gt;(name)</c>), for
    /// the same client type at several services.
    /// </summary>
    public static IHttpClientBuilder AddCallerTokenGrpcClient<TClient>(this IHostApplicationBuilder builder, string addressKey, string whatItNames,
        Action<HttpStandardResilienceOptions>? resilience = null, string? name = null) where TClient : class
    {
        var address = builder.Configuration[addressKey] ?? throw new InvalidOperationException($"{addressKey} must name {whatItNames}.");
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddTransient<ForwardCallerTokenHandler>();
        var client = (name is null
                ? builder.Services.AddGrpcClient<TClient>(o => o.Address = new Uri(address))
                : builder.Services.AddGrpcClient<TClient>(name, o => o.Address = new Uri(address)))
            .AddHttpMessageHandler<ForwardCallerTokenHandler>();
        client.AddStandardResilienceHandler(resilience ?? (_ => { }));
        return client;
    }
}
