using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Sip.ServiceDefaults;

namespace Sip.Platform.Tests;

/// <summary>Outside Development every deployable logs one JSON object a line, with the request's correlation id, for the cluster's log collector.</summary>
public sealed class JsonLogTests
{
    private static WebApplication Build(string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.AddOpenTelemetryDefaults();
        return builder.Build();
    }

    [Fact]
    public async Task In_production_a_log_line_is_one_json_object_carrying_the_correlation_id_scope()
    {
        await using var app = Build("Production");
        var options = app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleFormatterNames.Json, options.FormatterName);

        var formatter = app.Services.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName);
        var scopes = new LoggerExternalScopeProvider();
        using var writer = new StringWriter();
        using (scopes.Push(new[] { new KeyValuePair<string, object?>("CorrelationId", "c0ffee-42") }))
        {
            formatter.Write(new LogEntry<string>(LogLevel.Warning, "Sip.Case", new EventId(7), "Plan {Version} locked", null, (s, _) => s),
                scopes, writer);
        }
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        using var json = JsonDocument.Parse(line);
        Assert.Equal("Warning", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Equal("Sip.Case", json.RootElement.GetProperty("Category").GetString());
        Assert.EndsWith("Z", json.RootElement.GetProperty("Timestamp").GetString()!.Trim(), StringComparison.Ordinal);
        Assert.Contains(json.RootElement.GetProperty("Scopes").EnumerateArray(),
            s => s.TryGetProperty("CorrelationId", out var id) && id.GetString() == "c0ffee-42");
    }

    [Fact]
    public async Task In_development_the_lines_stay_readable_and_a_formatter_chosen_in_configuration_wins()
    {
        await using (var development = Build("Development"))
        {
            Assert.NotEqual(ConsoleFormatterNames.Json,
                development.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["Logging:Console:FormatterName"] = ConsoleFormatterNames.Systemd;
        builder.AddOpenTelemetryDefaults();
        await using var chosen = builder.Build();
        Assert.Equal(ConsoleFormatterNames.Systemd, chosen.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}
