using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;
using Sip.Statistics;
using Sip.Statistics.Apis;
using Sip.Statistics.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (await app.TryRunMigrateCommandAsync<StatisticsDbContext>(args, StatisticsDbContext.Schema))
{
    return;
}

app.UseServiceDefaults();
app.MapStatisticsApi();
app.MapDefaultEndpoints();
app.Run();
