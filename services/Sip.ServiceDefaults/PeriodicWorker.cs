using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sip.ServiceDefaults;

/// <summary>
/// A background check that runs every <see cref="Interval"/> (on the injected clock), survives its own
/// failures by logging the exception type only and trying again at the next check, and stops with the host.
/// </summary>
public abstract class PeriodicWorker(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>What the log says failed, e.g. "Consent expiry check".</summary>
    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("{Check} failed ({Error}); retrying at the next check", Name, e.GetType().Name);
            }
            try
            {
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
