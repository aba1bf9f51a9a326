using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Sip.ServiceDefaults;

namespace Sip.Messaging;

public static class MessagingRegistration
{
    /// <summary>A failing consumer is retried after these waits (~21 s in all), then redelivered after delays (<see cref="MessagingOptions.RedeliveryDelays"/>), then the message goes to its <c>_error</c> queue.</summary>
    public static readonly TimeSpan[] RetryIntervals =
        [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)];

    /// <summary>
    /// MassTransit on RabbitMQ (quorum queues, publisher confirms, retries ending in <c>_error</c> queues)
    /// plus this service's outbox dispatcher. Requires an <see cref="Npgsql.NpgsqlDataSource"/> in DI.
    /// </summary>
    public static IHostApplicationBuilder AddSipMessaging(this IHostApplicationBuilder builder, string serviceName, string schema,
        Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var services = builder.Services;
        services.AddOptions<MessagingOptions>()
            .Bind(builder.Configuration.GetSection("Messaging"))
            .Configure(o =>
            {
                o.ServiceName = serviceName;
                o.Schema = schema;
            });
        services.AddOptions<RabbitMqOptions>().Bind(builder.Configuration.GetSection("RabbitMq"));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var metrics = ActivatorUtilities.CreateInstance<MessagingMetrics>(sp);
            metrics.ObserveBroker(() => sp.GetRequiredService<IBusControl>().CheckHealth().Status == BusHealthStatus.Healthy);
            return metrics;
        });
        services.AddSingleton<IOutboxPublisher, MassTransitOutboxPublisher>();
        services.AddSingleton<OutboxWake>();
        // The service's DbContext takes every registered interceptor (AddServiceDatabase): a commit with events wakes the dispatcher.
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, OutboxWakeInterceptor>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<BrokerMaintenance>();
        services.AddHostedService<RetiredQueueCleanup>();
        services.AddSingleton<IMaintenanceEndpoints, OutboxMaintenance>();
        services.AddSingleton<IMaintenanceCommand, ReplayErrorsCommand>();

        // Start even when the broker is down: the outbox holds events until it is back. The bus health check
        // answers at /health/bus, not in readiness: a service whose broker is away still serves its API.
        services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = false);

        services.AddMassTransit(x =>
        {
            // MassTransit 8.4+ reports usage to its makers' host unless told not to: nothing leaves the platform uninvited.
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Tags.Clear();
                o.Tags.Add(Sip.ServiceDefaults.Extensions.BusTag);
            });
            consumers?.Invoke(x);
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<Microsoft.Extensions.Options.IOptions<MessagingOptions>>().Value;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                    if (options.ConsumerPrefetch > 0)
                    {
                        rabbit.PrefetchCount = options.ConsumerPrefetch;
                    }
                }
                if (options.ConsumerConcurrency > 0)
                {
                    endpoint.ConcurrentMessageLimit = options.ConsumerConcurrency;
                }
                // Outside the immediate retries: a message comes here only when they are used up.
                if (options.RedeliveryDelays.Length > 0)
                {
                    endpoint.UseConsumeFilter(typeof(DelayedRedeliveryFilter<>), context);
                }
                endpoint.UseMessageRetry(r => r.Intervals(options.RetryIntervals));
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var rabbit = builder.Configuration.GetSection("RabbitMq").Get<RabbitMqOptions>() ?? new RabbitMqOptions();
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
                {
                    h.Username(rabbit.Username);
                    h.Password(rabbit.Password);
                    h.PublisherConfirmation = true;
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        // The consumers registered above, by their inbox names: their fault and redelivery counters start at 0.
        var consumerNames = services.Select(d => d.ServiceType).Where(IsIdempotentConsumer).Select(t => t.Name).Distinct().ToArray();
        services.Configure<MessagingOptions>(o => o.Consumers = consumerNames);
        return builder;
    }

    private static bool IsIdempotentConsumer(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IdempotentConsumer<,>))
            {
                return !type.IsAbstract;
            }
        }
        return false;
    }

    /// <summary>
    /// The timer that fires this service's <see cref="ScheduledEvent"/>s (mapped by <c>modelBuilder.AddSipScheduledEvents()</c>).
    /// Call after <see cref="AddSipMessaging"/>: it uses that call's options, data source, clock and metrics.
    /// </summary>
    /// <param name="events">The event types the service schedules: their <c>sip_scheduled_events_fired_total</c> series start at 0.</param>
    public static IHostApplicationBuilder AddSipScheduledEvents(this IHostApplicationBuilder builder, params Type[] events)
    {
        var names = events.Select(MessageTypes.NameOf).ToArray();
        builder.Services.Configure<MessagingOptions>(o => o.ScheduledEvents = names);
        builder.Services.AddSingleton<ScheduledEventDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ScheduledEventDispatcher>());
        return builder;
    }
}
