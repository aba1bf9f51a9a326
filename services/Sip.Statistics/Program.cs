using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;
using Sip.Statistics;
using Sip.Statistics.Apis;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
if (await app.TryRunMigrateCommandAsync<StatisticsDbContext>(args, StatisticsDbContext.Schema))
{
    return;
}

if (args.Contains(Rebuild.Command))
{
    await using var scope = app.Services.CreateAsyncScope();
    var facts = await Rebuild.RunAsync(scope.ServiceProvider.GetRequiredService<StatisticsDbContext>(), CancellationToken.None);
    app.Logger.LogInformation("Statistics cube rebuilt from {Facts} facts", facts);
    return;
}

app.UseServiceDefaults();
app.MapStatisticsApi();
app.MapDefaultEndpoints();
app.Run();
