using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Sip.ServiceDefaults;

/// <summary>
/// Endpoints for the platform's operators (e.g. parked outbox rows), mapped by <c>MapDefaultEndpoints</c> under
/// <c>/maintenance</c>. The platform has no operator role in its tokens (roles are the domain's), so they are guarded by
/// where a request comes in instead: with <c>Metrics:Port</c> set (the chart sets it) only on that port, which the
/// NetworkPolicy lets only Prometheus reach, so an operator uses <c>kubectl port-forward</c>; without it (the local runner,
/// everything on 127.0.0.1) only from a loopback address. Anywhere else they answer 404, like <c>/metrics</c>.
/// </summary>
public interface IMaintenanceEndpoints
{
    void Map(IEndpointRouteBuilder maintenance);
}

public static class Maintenance
{
    /// <summary>True when the request came in on the metrics port, or, with none configured, from this machine.</summary>
    public static bool IsMaintenanceRequest(HttpContext context, int? metricsPort) =>
        metricsPort is int port
            ? context.Connection.LocalPort == port
            // No remote address: an in-process test server, not the network.
            : context.Connection.RemoteIpAddress is not { } remote || System.Net.IPAddress.IsLoopback(remote);

    public static void MapMaintenanceEndpoints(this WebApplication app)
    {
        var contributors = app.Services.GetServices<IMaintenanceEndpoints>().ToList();
        if (contributors.Count == 0)
        {
            return;
        }
        var metricsPort = app.Configuration.GetValue<int?>("Metrics:Port");
        var group = app.MapGroup("/maintenance").AllowAnonymous().ExcludeFromDescription();
        group.AddEndpointFilter(async (context, next) =>
            IsMaintenanceRequest(context.HttpContext, metricsPort) ? await next(context) : Results.NotFound());
        foreach (var contributor in contributors)
        {
            contributor.Map(group);
        }
    }
}

/// <summary>
/// A one-off operator command run from the service's own binary, like <c>migrate</c>: <c>dotnet Sip.X.dll NAME ARGS…</c> (the
/// local runner: <c>./sip NAME ARGS…</c>; Kubernetes: <c>kubectl exec</c> into a pod, or a Job from the service's image).
/// It runs with the service's configuration and exits with the code it returns.
/// </summary>
public interface IMaintenanceCommand
{
    string Name { get; }

    Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct);
}
