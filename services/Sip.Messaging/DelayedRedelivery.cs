using System.Runtime.ExceptionServices;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sip.Messaging;

/// <summary>
/// Delayed redelivery without the broker's delayed-message plugin: a message whose immediate retries are used up is sent,
/// as it came, to a waiting queue with a message TTL that dead-letters it back into its own queue after the delay
/// (<see cref="MessagingOptions.RedeliveryDelays"/>: 1, 5 and 15 minutes), and acknowledged. Only after the last delay does
/// the failure reach MassTransit's error pipe and the message go to <c>_error</c>. So a database failover of a few minutes
/// needs no manual replay.
/// </summary>
internal sealed class DelayedRedeliveryFilter<T>(BrokerMaintenance broker, IOptions<MessagingOptions> options, MessagingMetrics metrics,
    ILogger<BrokerMaintenance> log) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        try
        {
            await next.Send(context);
        }
        // The endpoint's immediate retries run around this filter: only their last attempt sends the message to wait.
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested
            && context.GetRetryAttempt() >= options.Value.RetryIntervals.Length
            && context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit)
            && BrokerMaintenance.RedeliveriesOf(rabbit.Properties) < options.Value.RedeliveryDelays.Length)
        {
            var queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
            var done = BrokerMaintenance.RedeliveriesOf(rabbit.Properties);
            var delay = options.Value.RedeliveryDelays[done];
            try
            {
                await broker.DelayAsync(queue, delay, rabbit.Properties, context.ReceiveContext.Body.GetBytes(), done + 1, context.CancellationToken);
            }
            catch (Exception delayFailed)
            {
                log.LogWarning("Delayed redelivery from {Queue} failed ({Error}); the message goes to the error queue", queue, delayFailed.GetType().Name);
                ExceptionDispatchInfo.Throw(e);
            }
            metrics.RedeliveryDelayed(queue);
            log.LogWarning("A message on {Queue} failed ({Error}); redelivered in {Delay} (delayed redelivery {Count} of {Max})",
                queue, e.GetType().Name, delay, done + 1, options.Value.RedeliveryDelays.Length);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("sipDelayedRedelivery");
}
