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
        // A token's units count only where the staff directory (kept by the case service) lists the caller.
        builder.AddDirectoryMembershipFromCase();
        builder.AddSipMessaging("meeting-scheduling", MeetingDbContext.Schema, x => x.AddConsumer<InitiativeSentConsumer>());
    }
}
