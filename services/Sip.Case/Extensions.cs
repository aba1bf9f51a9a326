using OpenTelemetry.Metrics;
using Sip.Case.Consent;
using Sip.Case.Consumers;
using Sip.Case.Infrastructure;
using Sip.ServiceDefaults;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.Contracts.Statistics;
using Sip.Documents;
using Sip.Messaging;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.Case;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CaseDbContext>(CaseDbContext.Schema);
        builder.Services.AddAuditPartitionMaintenance<CaseDbContext>(CaseDbContext.Schema);
        builder.AddSipMessaging("case", CaseDbContext.Schema, x =>
        {
            x.AddConsumer<ConsentWithdrawnConsumer>();
            x.AddConsumer<ConsentExpiredConsumer>();
            x.AddConsumer<ConsentScopeChangedConsumer>();
            x.AddConsumer<IdentityLinkedConsumer>();
            x.AddConsumer<MeetingHeldConsumer>();
            x.AddConsumer<SummonsSentConsumer>();
        });
        // LUS deadline facts wait here until their obligation settles (LusFacts).
        builder.AddSipScheduledEvents(typeof(LusDeadlineFact));
        builder.Services.Configure<InitiativeDeadlineOptions>(builder.Configuration.GetSection("InitiativeDeadlines"));
        builder.Services.AddSingleton<RebuildInboxCommand>();
        builder.Services.AddSingleton<IMaintenanceCommand>(sp => sp.GetRequiredService<RebuildInboxCommand>());
        builder.Services.AddSingleton<IAfterMigrations>(sp => sp.GetRequiredService<RebuildInboxCommand>());
        builder.Services.AddSingleton<InitiativeDeadlineWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InitiativeDeadlineWorker>());
        builder.Services.AddSingleton<ProcessMetrics>();
        builder.Services.AddHostedService<ProcessMetricsWorker>();
        // Service defaults export the shared meters; this service's own one is added here.
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(ProcessMetrics.MeterName));

        // The case service keeps the staff directory: it reads its own tables, and answers the other services' StaffDirectory calls.
        builder.Services.AddDirectoryMembership<StaffDirectoryDatabase>();
        builder.Services.AddGrpc();

        builder.AddCallerTokenGrpcClient<ConsentChecks.ConsentChecksClient>("Services:ConsentGrpc", "the consent service's gRPC endpoint");
        builder.Services.AddScoped<ConsentGate>();
        builder.Services.AddSingleton<PdfPrinter>();
    }
}
