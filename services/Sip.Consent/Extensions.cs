using Sip.Consent.Apis;
using Sip.Consent.Domain;
using Sip.Consent.Infrastructure;
using Sip.Documents;
using Sip.Contracts.Grpc.Audit.V1;
using Sip.Messaging;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.Consent;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ConsentDbContext>(ConsentDbContext.Schema);
        builder.Services.AddAuditPartitionMaintenance<ConsentDbContext>(ConsentDbContext.Schema);
        // A token's units count only where the staff directory (kept by the case service) lists the caller.
        builder.AddDirectoryMembershipFromCase();
        builder.AddSipMessaging("consent", ConsentDbContext.Schema);
        // The audit review reads the other services' logs too, with the auditor's own token.
        foreach (var (service, addressKey) in AuditLogs.Services)
        {
            builder.AddCallerTokenGrpcClient<AuditReview.AuditReviewClient>(addressKey, $"the {service} service's gRPC endpoint (its audit log)", name: AuditLogs.ClientName(service));
        }
        builder.Services.AddScoped<AuditLogs>();
        // The extract an individual is handed, as a PDF (rare: headless Chromium, started only for it).
        builder.Services.AddSingleton<PdfPrinter>();
        builder.Services.AddGrpc();
        // grpc.health.v1 for gRPC-aware probes and load balancers: the published results of the same checks as
        // /health/ready (refreshed every 30 s by the health check publisher), so a probe costs no query.
        builder.Services.AddGrpcHealthChecks(o =>
        {
            o.UseHealthChecksCache = true;
            o.Services.Map("", c => c.Tags.Contains(ServiceDefaults.Extensions.ReadyTag) || c.Tags.Contains("live"));
        });
        // Each tenant's local reserve-number formats: configuration, re-read when it changes, no release needed.
        builder.Services.Configure<IdentifierOptions>(builder.Configuration.GetSection("Identifiers"));
        builder.Services.AddSingleton<IdentifierParser>();
        builder.Services.Configure<ConsentExpiryOptions>(builder.Configuration.GetSection("ConsentExpiry"));
        builder.Services.AddSingleton<ConsentExpiryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsentExpiryWorker>());
    }
}
