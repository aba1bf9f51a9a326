using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Sip.ServiceDefaults;

namespace Sip.Messaging;

/// <summary>
/// Parked outbox rows for operators (docs/operations.md, "Parked outbox rows"): <c>GET /maintenance/outbox/parked</c> lists
/// them (ids, types, aggregate, why; never the body), <c>POST /maintenance/outbox/parked/replay</c> puts them back in line,
/// one (<c>?id=</c>) or all. Where these may be called from is <see cref="IMaintenanceEndpoints"/>'s rule.
/// </summary>
internal sealed class OutboxMaintenance : IMaintenanceEndpoints
{
    public const int ListLimit = 500;

    public void Map(IEndpointRouteBuilder maintenance)
    {
        maintenance.MapGet("/outbox/parked", ListParked);
        maintenance.MapPost("/outbox/parked/replay", ReplayParked);
    }

    private static async Task<Ok<IReadOnlyList<ParkedOutboxMessage>>> ListParked(OutboxDispatcher dispatcher, CancellationToken ct) =>
        TypedResults.Ok(await dispatcher.ParkedAsync(ListLimit, ct));

    private static async Task<Ok<ReplayResult>> ReplayParked(Guid? id, OutboxDispatcher dispatcher, CancellationToken ct) =>
        TypedResults.Ok(new ReplayResult(await dispatcher.ReplayParkedAsync(id is { } one ? [one] : null, ct)));

    public sealed record ReplayResult(int Replayed);
}
