using Sip.Notification;
using Sip.Notification.Apis;
using Sip.Notification.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (await app.TryRunMigrateCommandAsync<NotificationDbContext>(args, NotificationDbContext.Schema))
{
    return;
}

app.UseServiceDefaults();
app.MapDeliveriesApi();
app.MapSubscriptionsApi();
app.MapWatchesApi();
app.MapDefaultEndpoints();
app.Run();
