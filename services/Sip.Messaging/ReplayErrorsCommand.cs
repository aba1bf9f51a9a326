using Sip.ServiceDefaults;

namespace Sip.Messaging;

/// <summary><c>dotnet Sip.X.dll replay-errors QUEUE…</c>: moves each queue's <c>_error</c> messages back to it (<see cref="BrokerMaintenance.ReplayErrorsAsync"/>).</summary>
internal sealed class ReplayErrorsCommand(BrokerMaintenance broker) : IMaintenanceCommand
{
    public string Name => "replay-errors";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0)
        {
            await Console.Error.WriteLineAsync("usage: replay-errors QUEUE… (the consumer's queue, e.g. notification-unit-updated, without _error)");
            return 64;
        }
        foreach (var queue in args)
        {
            var moved = await broker.ReplayErrorsAsync(queue.EndsWith("_error", StringComparison.Ordinal) ? queue[..^"_error".Length] : queue, ct);
            Console.WriteLine($"{queue}: {moved} message(s) moved from {queue}_error back to {queue}");
        }
        return 0;
    }
}
