using OpenTelemetry.Metrics;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.Contracts.Meetings;
using Sip.Documents;
using Sip.MeetingScheduling.Clients;
using Sip.MeetingScheduling.Consumers;
using Sip.MeetingScheduling.Infrastructure;
using Sip.Messaging;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.MeetingScheduling;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<MeetingDbContext>(MeetingDbContext.Schema);
        builder.Services.AddAuditPartitionMaintenance<MeetingDbContext>(MeetingDbContext.Schema);
        // A token's units count only where the staff directory (kept by the case service) lists the caller.
        builder.AddDirectoryMembershipFromCase();
        // The case service decides who may see a case; consent decides what a letter may say. Both asked with the caller's token.
        builder.AddCallerTokenGrpcClient<CaseAccess.CaseAccessClient>("Services:CaseGrpc", "the case service's gRPC endpoint");
        builder.AddCallerTokenGrpcClient<ConsentChecks.ConsentChecksClient>("Services:ConsentGrpc", "the consent service's gRPC endpoint");
        builder.Services.AddScoped<ICaseAccess, CaseAccessClient>();
        // Its audit log, for the auditor's review that the consent service runs.
        builder.Services.AddGrpc();
        builder.Services.AddScoped<ILetterDisclosures, LetterDisclosureClient>();
        builder.Services.AddOptions<MeetingOptions>().Bind(builder.Configuration.GetSection("Meetings"));
        builder.Services.AddScoped<MeetingOutbox>();
        builder.Services.AddSingleton<PdfPrinter>();
        builder.AddSipMessaging("meeting-scheduling", MeetingDbContext.Schema, x =>
        {
            x.AddConsumer<CaseOpenedConsumer>();
            x.AddConsumer<DischargeRecordedConsumer>();
            x.AddConsumer<CaseCancelledConsumer>();
            x.AddConsumer<CaseClosedConsumer>();
        });
        builder.AddSipScheduledEvents(typeof(SummonsOverdue), typeof(LusDeadlineApproaching), typeof(LusDeadlineBreached));
        builder.Services.AddSingleton<LusMetrics>();
        builder.Services.AddHostedService<LusMetricsWorker>();
        // Service defaults export the shared meters; this service's own one is added here.
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(LusMetrics.MeterName));
    }
}
