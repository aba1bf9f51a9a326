using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sip.ServiceDefaults.Auth;

namespace Sip.ServiceDefaults;

/// <summary>One place for what every deployable has: telemetry, health, problem details, JSON rules, authentication.</summary>
public static class Extensions
{
    public const string ReadyTag = "ready";

    /// <summary>The broker connection and receive endpoints (MassTransit's bus check): <c>/health/bus</c>, not readiness.</summary>
    public const string BusTag = "bus";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddOpenTelemetryDefaults();

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Localise);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Bad JSON becomes a Swedish problem detail in every environment, not a bare 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(o => ConfigureRequestJson(o.SerializerOptions));
        builder.Services.AddSipAuthentication(builder.Configuration, builder.Environment);
        builder.Services.AddOpenApi(o => o.AddOperationTransformer(UnknownFieldsAreRefused.DescribeAsync));
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Without these, System.Text.Json lets a missing required field arrive as null/default and the
    /// OpenAPI contract (which marks constructor parameters required) would lie.
    /// </summary>
    /// <remarks>
    /// Tolerant of fields it does not know: events (<c>Sip.Messaging.MessageTypes.Json</c> uses these options for the
    /// outbox) may carry fields that a newer version of a contract added and older code has never heard of. Only HTTP
    /// request bodies refuse unknown fields (<see cref="ConfigureRequestJson"/>); stored JSON columns
    /// (<see cref="Data.JsonColumns"/>) have options of their own, tolerant too.
    /// </remarks>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.RespectRequiredConstructorParameters = true;
        options.RespectNullableAnnotations = true;
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
    }

    /// <summary>
    /// The HTTP API's JSON: <see cref="ConfigureJson"/>, and a field the API does not know is a 400 naming it
    /// (<c>urn:sip:problem:unknown-field</c>) instead of being dropped, so an integrator's typo never loses data silently;
    /// a string holding a NUL character is a 400 naming its path (<see cref="NulCharacters"/>).
    /// Read-only members (e.g. a plan's <c>activities</c>, computed from its goals) are known, so a response sent back
    /// as it was read is still accepted.
    /// </summary>
    public static void ConfigureRequestJson(JsonSerializerOptions options)
    {
        ConfigureJson(options);
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new NulCharacters.RefuseInJson());
    }

    public static TBuilder AddOpenTelemetryDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        // Outside Development every line is one JSON object with its scopes (the correlation id), for the log
        // collector; Logging:Console:FormatterName chooses otherwise. Development keeps the readable lines.
        if (!builder.Environment.IsDevelopment() && string.IsNullOrEmpty(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            });
        }
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter("MassTransit", "Sip.Messaging", "Npgsql")
                .AddPrometheusExporter());

        // Traces and OTel logs only where there is a collector to send them to: recorded and then
        // dropped, they cost ~15–20 % of the gateway's throughput (docs/benchmarks.md).
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true; // carries the correlation id
            });
            telemetry
                .WithTracing(t => t
                    // Health probes and scrapes would drown the traces that matter.
                    .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                        !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddGrpcClientInstrumentation()
                    .AddNpgsql()
                    .AddSource("MassTransit", "Sip.Messaging"))
                .UseOtlpExporter();
        }
        else
        {
            // ASP.NET Core makes an Activity for every request while this category can log (even at
            // Critical), only to put its id in log scopes that no one records without a collector.
            // Off, a proxied request costs the gateway ~5 % less CPU (docs/benchmarks.md); the
            // category's Information lines (request started/finished) are filtered out anyway.
            // A provider-specific level for it (Logging:Console:LogLevel:…) would bring it back.
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        }
        return builder;
    }

    /// <summary>Health, metrics and the OpenAPI document, in every environment, without authentication.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag) || r.Tags.Contains("live") }).AllowAnonymous();
        // Not part of readiness: while only the broker is down a service still serves, and its outbox keeps the events.
        // The runner and tests wait for it before they publish, so that every consumer's queue is bound.
        // A bus that lost its broker reports Degraded: that is a 503 here, not the default 200.
        app.MapHealthChecks("/health/bus", new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(BusTag),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
        }).AllowAnonymous();
        app.MapMetricsEndpoint();
        app.MapMaintenanceEndpoints();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Prometheus text at <c>/metrics</c>. With <c>Metrics:Port</c> set (the chart sets it) only requests that came in on
    /// that port get it, judged by the connection's local port, not a Host header a caller writes; elsewhere it is a 404.
    /// The ingress sends traffic to the gateway's other port, and only Prometheus may reach the metrics port.
    /// </summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this WebApplication app)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        if (app.Configuration.GetValue<int?>("Metrics:Port") is int port)
        {
            endpoint.Add(b =>
            {
                var scrape = b.RequestDelegate!;
                b.RequestDelegate = context =>
                {
                    if (context.Connection.LocalPort == port)
                    {
                        return scrape(context);
                    }
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                };
            });
        }
        return endpoint;
    }

    /// <summary>Problem details for unhandled errors and status codes; never an exception text to the caller.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.Use(CorrelationScope(app));
        app.Use(SecurityEvents.Middleware(app));
        app.UseExceptionHandler();
        app.Use(NulCharacters.RefuseInQuery);
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The gateway's correlation id goes into every log line (as a scope) and onto the trace.</summary>
    private static Func<HttpContext, Func<Task>, Task> CorrelationScope(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sip.Request");
        return async (context, next) =>
        {
            var id = context.Request.Headers[CorrelationIdHeader].ToString();
            if (id.Length is 0 or > 64)
            {
                await next();
                return;
            }
            System.Diagnostics.Activity.Current?.SetTag("sip.correlation_id", id);
            using (logger.BeginScope(new CorrelationScopeState(id)))
            {
                await next();
            }
        };
    }

    public const string CorrelationIdHeader = "X-Correlation-Id";

    /// <summary>The scope's one field, without a dictionary per request; log providers read it as a list of pairs.</summary>
    private sealed class CorrelationScopeState(string id) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new("CorrelationId", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"CorrelationId:{id}";
    }

    public static string RequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name)
        ?? throw new InvalidOperationException($"Connection string '{name}' is not configured (ConnectionStrings__{name}).");

    /// <summary>
    /// A PostgreSQL connection string, with its password taken from <c>{name}:Password</c> (<c>Database__Password</c>)
    /// when that is set: a secret mounted by reference, applied by the builder so that any character in it works
    /// (pasted into a connection string, a <c>;</c> or <c>'</c> would break it). Null when the connection string is not set.
    /// </summary>
    public static string? DatabaseConnectionString(this IConfiguration configuration, string name)
    {
        var connectionString = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }
        var password = configuration[$"{name}:Password"];
        return string.IsNullOrEmpty(password)
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { Password = password }.ConnectionString;
    }

    public static string RequiredDatabaseConnectionString(this IConfiguration configuration, string name) =>
        configuration.DatabaseConnectionString(name)
        ?? throw new InvalidOperationException($"Connection string '{name}' is not configured (ConnectionStrings__{name}).");

    public static NpgsqlDataSource BuildDataSource(string connectionString) =>
        new NpgsqlDataSourceBuilder(connectionString).Build();

    public static IHealthChecksBuilder AddReadyCheck(this IHealthChecksBuilder checks, string name, Func<IServiceProvider, CancellationToken, Task<bool>> probe) =>
        checks.Add(new HealthCheckRegistration(name, sp => new DelegateHealthCheck(sp, probe), HealthStatus.Unhealthy, [ReadyTag]));

    private sealed class DelegateHealthCheck(IServiceProvider services, Func<IServiceProvider, CancellationToken, Task<bool>> probe) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await probe(services, cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.GetType().Name);
            }
        }
    }
}
