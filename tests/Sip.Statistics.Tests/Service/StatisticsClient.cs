using System.Net;
using System.Text.Json;
using Sip.Contracts;
using Sip.Testing;

namespace Sip.Statistics.Tests.Service;

/// <summary>A published cell as the API returns it.</summary>
internal sealed record Cell(string Month, string Series, string Group, bool Total, long? Count, long? Outcome, double? Share, double? Median, bool Suppressed);

internal static class StatisticsClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Publishes facts through the broker and waits until the fact consumers' inbox has processed every one.</summary>
    public static async Task PublishFactsAsync(this StatisticsServiceHost host, params IIntegrationEvent[] facts)
    {
        foreach (var fact in facts)
        {
            await host.PublishFactAsync(fact, fact.EventId);
        }
        await Eventually.HoldsAsync(async () => await host.ProcessedAsync("FactConsumer", facts.Select(f => f.EventId)) == facts.Length,
            TimeSpan.FromSeconds(60), $"{facts.Length} facts processed");
    }

    public static async Task<Cell[]> TableAsync(this HttpClient client, string measure, string query = "")
    {
        using var response = await client.GetAsync($"/api/v1/statistics/measures/{measure}{(query == "" ? "" : "?" + query)}", Ct);
        var table = await response.JsonAsync(HttpStatusCode.OK);
        return table.GetProperty("cells").Deserialize<Cell[]>(Json)!;
    }
}
