using System.Diagnostics.Metrics;

namespace Sip.Statistics;

/// <summary>Prometheus metrics for the statistics dashboards: facts counted, tables served, cells suppressed.</summary>
public sealed class StatisticsMetrics
{
    public const string MeterName = "Sip.Statistics";
    private readonly Counter<long> _facts;
    private readonly Counter<long> _tables;
    private readonly Counter<long> _suppressed;
    private readonly Histogram<double> _queryMs;
    private readonly Counter<long> _surveyAnswers;
    private readonly Counter<long> _months;

    public StatisticsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _facts = meter.CreateCounter<long>("sip.statistics.facts", description: "Statistics facts counted into the cube");
        _tables = meter.CreateCounter<long>("sip.statistics.tables", description: "Statistics tables served, by measure and format");
        _suppressed = meter.CreateCounter<long>("sip.statistics.cells_suppressed", description: "Published cells suppressed (primary and complementary)");
        _surveyAnswers = meter.CreateCounter<long>("sip.statistics.survey_answers", description: "SIP-kollen answers received (declined or not)");
        _months = meter.CreateCounter<long>("sip.statistics.table_months",
            description: "Months of tables served: kept from an earlier query (source=kept) or read from the cube again (source=cube)");
        _queryMs = meter.CreateHistogram<double>("sip.statistics.query.duration", unit: "ms", description: "Time to read and suppress one statistics table");
    }

    public void SurveyAnswered(bool declined) => _surveyAnswers.Add(1, new KeyValuePair<string, object?>("declined", declined ? "true" : "false"));

    public void MonthsServed(int kept, int fromCube)
    {
        _months.Add(kept, new KeyValuePair<string, object?>("source", "kept"));
        _months.Add(fromCube, new KeyValuePair<string, object?>("source", "cube"));
    }

    public void FactCounted(string fact) => _facts.Add(1, new KeyValuePair<string, object?>("fact", fact));

    public void TableServed(string measure, string format, int suppressed, double milliseconds)
    {
        var tag = new KeyValuePair<string, object?>("measure", measure);
        _tables.Add(1, tag, new KeyValuePair<string, object?>("format", format));
        _suppressed.Add(suppressed, tag);
        _queryMs.Record(milliseconds, tag);
    }
}
