using Sip.MeetingScheduling;
using Sip.MeetingScheduling.Apis;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (await app.TryRunMigrateCommandAsync<MeetingDbContext>(args, MeetingDbContext.Schema))
{
    return;
}

app.UseServiceDefaults();
app.MapMeetingsApi();
app.MapSummonsApi();
app.MapLettersApi();
app.MapCalendarApi();
app.MapGrpcService<AuditLogReviewService<MeetingDbContext>>();
app.MapDefaultEndpoints();
app.Run();
