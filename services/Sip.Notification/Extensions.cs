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
            x.AddConsumer<InitiativeAnsweredConsumer>();
            x.AddConsumer<InitiativeOverdueConsumer>();
            x.AddConsumer<CaseCancelledConsumer>();
            x.AddConsumer<CaseClosedConsumer>();
            x.AddConsumer<CaseMessageSentConsumer>();
            x.AddConsumer<PlanLockedConsumer>();
            x.AddConsumer<PlanLateConsumer>();
            x.AddConsumer<SummonsSentConsumer>();
            x.AddConsumer<SummonsAnsweredConsumer>();
            x.AddConsumer<MeetingRescheduledConsumer>();
            x.AddConsumer<MeetingCancelledConsumer>();
            x.AddConsumer<SummonsOverdueConsumer>();
            x.AddConsumer<LusDeadlineApproachingConsumer>();
            x.AddConsumer<LusDeadlineBreachedConsumer>();
        });
        builder.Services.AddOptions<SmtpOptions>().Bind(builder.Configuration.GetSection("Smtp"));
        builder.Services.AddOptions<SmsOptions>().Bind(builder.Configuration.GetSection("Sms"));
        builder.Services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection("Notification"));
        builder.Services.AddScoped<NoticeContext>();

        // Channels: each sender is one adapter; retries and timeouts are the workers' (Polly), not the HTTP clients'.
        builder.Services.AddHttpClient(HttpSmsSender.ClientName);
        builder.Services.AddHttpClient(WebhookSender.ClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddSingleton<IChannelSender, SmtpEmailSender>();
        builder.Services.AddSingleton<IChannelSender, HttpSmsSender>();
        builder.Services.AddSingleton<IChannelSender, WebhookSender>();
        builder.Services.AddSingleton<DeliveryWorkers>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryWorkers>());
        builder.Services.AddSingleton<DigestWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DigestWorker>());
        builder.Services.AddSingleton<DeliveryMetrics>();
        builder.Services.AddHostedService<DeliveryMetricsWorker>();
        // Service defaults export the shared meters; this service's own one is added here.
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(DeliveryMetrics.MeterName));
    }
}
