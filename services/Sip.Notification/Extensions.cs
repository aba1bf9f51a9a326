using OpenTelemetry.Metrics;
using Sip.Messaging;
using Sip.Notification.Consumers;
using Sip.Notification.Delivery;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.Notification;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationDbContext>(NotificationDbContext.Schema);
        // A token's units count only where the staff directory (kept by the case service) lists the caller.
        builder.AddDirectoryMembershipFromCase();
        builder.AddSipMessaging("notification", NotificationDbContext.Schema, x =>
        {
            x.AddConsumer<UnitUpdatedConsumer>();
            x.AddConsumer<InitiativeSentConsumer>();
            x.AddConsumer<InitiativeOverdueConsumer>();
            x.AddConsumer<CaseCancelledConsumer>();
            x.AddConsumer<CaseClosedConsumer>();
            x.AddConsumer<PlanLockedConsumer>();
            x.AddConsumer<SummonsSentConsumer>();
            x.AddConsumer<MeetingRescheduledConsumer>();
            x.AddConsumer<MeetingCancelledConsumer>();
            x.AddConsumer<SummonsOverdueConsumer>();
            x.AddConsumer<LusDeadlineApproachingConsumer>();
            x.AddConsumer<LusDeadlineBreachedConsumer>();
        });
        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection("Smtp"));
        builder.Services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection("Notification"));
        builder.Services.AddSingleton<IEmailSender, SmtpEmailSender>();
        builder.Services.AddSingleton<DeliveryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorker>());
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddHostedService<DeliveryMetricsWorker>();
        // Service defaults export the shared meters; this service's own one is added here.
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(DeliveryMetrics.MeterName));
    }
}
