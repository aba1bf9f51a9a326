using Sip.MeetingScheduling.Consumers;
using Sip.MeetingScheduling.Infrastructure;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;

namespace Sip.MeetingScheduling;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<MeetingDbContext>(MeetingDbContext.Schema);
        builder.AddSipMessaging("meeting-scheduling", MeetingDbContext.Schema, x => x.AddConsumer<InitiativeSentConsumer>());
    }
}
