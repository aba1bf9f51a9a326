using Sip.Consent.Infrastructure;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.Consent;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ConsentDbContext>(ConsentDbContext.Schema);
        builder.AddSipMessaging("consent", ConsentDbContext.Schema);
        builder.Services.AddGrpc();
    }
}
