using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sip.Messaging;

/// <summary>
/// Deletes <see cref="MessagingOptions.RetiredQueues"/> once at start, retrying every 30 s while the broker is away. Idempotent:
/// after the first run there is nothing left to delete, so every replica may run it.
/// </summary>
internal sealed class RetiredQueueCleanup(BrokerMaintenance broker, IOptions<MessagingOptions> options, TimeProvider clock, ILogger<RetiredQueueCleanup> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.RetiredQueues.Length == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await broker.DeleteQueuesAsync(o.RetiredQueues, o.RedeliveryDelays, stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Could not delete retired queues yet ({Error}); trying again in 30 s", e.GetType().Name);
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
