using OpenTelemetry.Metrics;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;
using Sip.Statistics.Consumers;
using Sip.Statistics.Domain.Survey;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StatisticsMetrics>();
        builder.Services.AddSingleton<SurveySecrets>();
        builder.Services.AddSingleton(_ => Inhabitants.Load(Path.Combine(AppContext.BaseDirectory, "ReferenceData", Inhabitants.FileName)));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(StatisticsMetrics.MeterName));
        builder.AddServiceDatabase<StatisticsDbContext>(StatisticsDbContext.Schema);
        builder.AddSipMessaging("statistics", StatisticsDbContext.Schema, x =>
        {
            x.AddConsumer<InitiativeSentFactConsumer>();
            x.AddConsumer<InitiativeAnsweredFactConsumer>();
            x.AddConsumer<PlanEstablishedFactConsumer>();
            x.AddConsumer<MeetingHeldFactConsumer>();
            x.AddConsumer<LusDeadlineFactConsumer>();
            x.AddConsumer<ActivityOutcomeFactConsumer>();
            x.AddConsumer<GoalEvaluatedFactConsumer>();
        });
        // Statistics once consumed whole case and meeting events; their queues would stay bound and fill up.
        builder.Services.PostConfigure<MessagingOptions>(o =>
            o.RetiredQueues = ["statistics-initiative-sent", "statistics-plan-signed", "statistics-meeting-held"]);
    }
}
