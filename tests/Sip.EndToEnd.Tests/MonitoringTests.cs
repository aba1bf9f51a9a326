using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit;
using Sip.Contracts.Case;
using Sip.Testing;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// Grafana cannot run here, so the dashboards are proven another way: a real Prometheus (Debian's) scrapes the platform
/// that ./sip up started with the runner's own scrape configuration (./sip prometheus-config) and the chart's alert
/// rules, traffic goes through the gateway (and one message fails into an <c>_error</c> queue), and then every panel
/// query of every dashboard in charts/sip-platform/dashboards and every alert expression is evaluated through
/// Prometheus' HTTP API: each must parse, name only metrics Prometheus has, and return series.
/// </summary>
public sealed partial class MonitoringTests(MonitoringTests.PrometheusFixture prometheus) : IClassFixture<MonitoringTests.PrometheusFixture>
{
    /// <summary>
    /// Queries that cannot return series on a developer's machine, and why. Their metric names are still checked
    /// against what Prometheus scraped, except where the reason says they exist only elsewhere.
    /// </summary>
    private static readonly Dictionary<string, string> NoSeriesLocally = new()
    {
        ["SipServiceNotReady"] = "kube-state-metrics (kube_deployment_*) exists only on Kubernetes",
        ["sip-overview / 429 responses/s by route"] = "429s exist only while a tenant is being rate limited; the rate limiter panel beside it shows the decisions",
    };

    /// <summary>Metric names that exist only on Kubernetes.</summary>
    private static readonly HashSet<string> KubernetesOnlyMetrics = ["kube_deployment_status_replicas_available", "kube_deployment_spec_replicas"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_scrapes_every_deployable_RabbitMQ_and_PostgreSQL()
    {
        var targets = await prometheus.GetAsync("api/v1/targets?state=active");
        var down = targets.GetProperty("activeTargets").EnumerateArray()
            .Where(t => t.GetProperty("health").GetString() != "up")
            .Select(t => $"{t.GetProperty("labels").GetProperty("job").GetString()}: {t.GetProperty("lastError").GetString()}")
            .ToList();
        Assert.True(down.Count == 0, "targets not up:\n" + string.Join("\n", down));
        var jobs = targets.GetProperty("activeTargets").EnumerateArray().Select(t => t.GetProperty("labels").GetProperty("job").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "gateway", "web", "consent", "case", "meeting-scheduling", "notification", "statistics", "rabbitmq", "rabbitmq-detailed", "postgres" }, jobs);
    }

    [Fact]
    public async Task Every_panel_query_of_every_dashboard_parses_names_scraped_metrics_and_returns_series()
    {
        var dashboards = Directory.GetFiles(Path.Combine(Platform.Root, "charts", "sip-platform", "dashboards"), "*.json");
        Assert.NotEmpty(dashboards);
        var queries = new List<(string What, string Expr)>();
        foreach (var file in dashboards)
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct));
            var board = Path.GetFileNameWithoutExtension(file);
            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray().Where(p => p.TryGetProperty("targets", out _)))
            {
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    queries.Add(($"{board} / {panel.GetProperty("title").GetString()}", target.GetProperty("expr").GetString()!));
                }
            }
            foreach (var variable in doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Where(v => v.GetProperty("type").GetString() == "query"))
            {
                var m = LabelValues().Match(variable.GetProperty("query").GetProperty("query").GetString()!);
                Assert.True(m.Success, $"{board}: variable {variable.GetProperty("name")} is not label_values(metric, label)");
                queries.Add(($"{board} / variable {variable.GetProperty("name")}", $"count by ({m.Groups[2].Value}) ({m.Groups[1].Value})"));
            }
        }
        var failures = new List<string>();
        foreach (var (what, expr) in queries)
        {
            await CheckAsync(what, Substitute(expr), expr, failures);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {queries.Count} panel queries failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_alert_rule_is_loaded_evaluates_healthily_and_its_expression_returns_series()
    {
        var rulesFile = await File.ReadAllTextAsync(Path.Combine(Platform.Root, "charts", "sip-platform", "rules", "alerts.yaml"), Ct);
        var expected = AlertLine().Matches(rulesFile).Select(m => m.Groups[1].Value).ToList();
        // Two evaluation rounds after loading, so every rule has been evaluated at least once.
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        var groups = (await prometheus.GetAsync("api/v1/rules?type=alert")).GetProperty("groups").EnumerateArray().ToList();
        var rules = groups.SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        Assert.Equal(expected.Order(), rules.Select(r => r.GetProperty("name").GetString()!).Order());

        var failures = new List<string>();
        foreach (var rule in rules)
        {
            var name = rule.GetProperty("name").GetString()!;
            if (rule.GetProperty("health").GetString() != "ok")
            {
                failures.Add($"{name}: Prometheus evaluates it as {rule.GetProperty("health")} {(rule.TryGetProperty("lastError", out var e) ? e.GetString() : "")}");
            }
            var expr = rule.GetProperty("query").GetString()!;
            await CheckAsync(name, WithoutThreshold(expr), expr, failures);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {rules.Count} alert expressions failed:\n" + string.Join("\n", failures));
    }

    /// <summary>Parses (through the API), names only metrics Prometheus has, and returns series unless allowed not to.</summary>
    private async Task CheckAsync(string what, string query, string original, List<string> failures)
    {
        var (ok, error, series) = await prometheus.QueryAsync(query);
        if (!ok)
        {
            failures.Add($"{what}: does not evaluate: {error}\n    {query}");
            return;
        }
        var unknown = MetricNames(query).Where(n => !prometheus.MetricNames.Contains(n) && !KubernetesOnlyMetrics.Contains(n)).ToList();
        if (unknown.Count > 0)
        {
            failures.Add($"{what}: Prometheus has no metric {string.Join(", ", unknown)}\n    {original}");
        }
        else if (series == 0 && !NoSeriesLocally.ContainsKey(what))
        {
            failures.Add($"{what}: returned no series\n    {query}");
        }
        else if (series > 0 && NoSeriesLocally.ContainsKey(what))
        {
            failures.Add($"{what}: returns series now; take it off the allow-list ({NoSeriesLocally[what]})");
        }
    }

    /// <summary>Grafana's variables as a person opening the dashboard has them: every tenant, a 1-minute rate window.</summary>
    private static string Substitute(string expr) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$tenant", ".*", StringComparison.Ordinal);

    /// <summary><c>expr &gt; 0.05</c> → <c>expr</c>; <c>absent(x)</c> → <c>x</c>: the part that must return series.</summary>
    internal static string WithoutThreshold(string expr)
    {
        expr = expr.Trim();
        var absent = AbsentCall().Match(expr);
        if (absent.Success)
        {
            return absent.Groups[1].Value;
        }
        return TrailingComparison().Replace(expr, "").Trim();
    }

    /// <summary>The metric names a PromQL expression selects (strings, matchers, ranges and grouping clauses removed).</summary>
    internal static IReadOnlyList<string> MetricNames(string expr)
    {
        var text = QuotedString().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !Keywords.Contains(m.Groups[1].Value) && !m.Groups[2].Success)
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToList();
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN"];

    [GeneratedRegex(@"^\s*-\s*alert:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"^absent\((.*)\)$", RegexOptions.Singleline)]
    private static partial Regex AbsentCall();

    [GeneratedRegex(@"\s*(==|!=|>=|<=|>|<)\s*-?[0-9.]+(e[+-]?[0-9]+)?\s*$")]
    private static partial Regex TrailingComparison();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // An identifier not part of a number (1e3), with whether a call's "(" follows it.
    [GeneratedRegex(@"(?<![0-9.a-zA-Z_:])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?")]
    private static partial Regex Identifier();

    /// <summary>
    /// Debian's Prometheus on 127.0.0.1 (a free port, its own temporary directory), scraping every second with the
    /// runner's configuration; the PostgreSQL exporter is started through the runner if it does not run; traffic is
    /// driven once. Prometheus is stopped by its PID, the exporter only if this fixture started it.
    /// </summary>
    public sealed class PrometheusFixture : IAsyncLifetime
    {
        private const int ExporterPort = 9187;
        private const int RabbitPrometheusPort = 15692;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
        private DirectoryInfo? _dir;
        private Process? _process;
        private bool _startedExporter;

        public Uri Address { get; private set; } = null!;

        public HashSet<string> MetricNames { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            Assert.True(await AnswersAsync($"http://127.0.0.1:{RabbitPrometheusPort}/metrics"),
                $"RabbitMQ's Prometheus endpoint (127.0.0.1:{RabbitPrometheusPort}) does not answer: restart the platform with this runner (./sip down && ./sip up), which enables rabbitmq_prometheus");
            if (!await AnswersAsync($"http://127.0.0.1:{ExporterPort}/metrics"))
            {
                await Platform.SipAsync("start", "postgres-exporter");
                _startedExporter = true;
            }
            _dir = Directory.CreateTempSubdirectory("sip-prometheus-");
            var config = Path.Combine(_dir.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, await RunnerOutputAsync("prometheus-config", "1s"));
            var port = FreePort();
            Address = new Uri($"http://127.0.0.1:{port}/");
            var start = new ProcessStartInfo("prometheus")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                WorkingDirectory = _dir.FullName,
            };
            foreach (var arg in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_dir.FullName, "data")}",
                         $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h" })
            {
                start.ArgumentList.Add(arg);
            }
            try
            {
                _process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                Assert.Fail($"prometheus could not be started ({e.Message}): install Debian's prometheus package (./sip up does)");
            }
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            await Eventually.HoldsAsync(async () => await AnswersAsync(new Uri(Address, "-/ready").ToString()), TimeSpan.FromSeconds(30), "Prometheus is ready");

            await DriveTrafficAsync();
            // Rates need two scrapes inside their window, and the gauges refreshed every 30 s must have been read.
            await Task.Delay(TimeSpan.FromSeconds(5));
            await Eventually.HoldsAsync(async () => (await QueryAsync("sum(rabbitmq_detailed_queue_messages{queue=\"notification-initiative-sent_error\"})")).Series > 0
                && (await QueryAsync("sum(rabbitmq_detailed_queue_messages{queue=\"notification-initiative-sent_error\"}) > 0")).Series > 0,
                TimeSpan.FromSeconds(90), "the malformed message reached notification-initiative-sent_error");
            var names = await GetAsync("api/v1/label/__name__/values");
            MetricNames = names.EnumerateArray().Select(n => n.GetString()!).ToHashSet();
        }

        /// <summary>
        /// A case with an initiative through the gateway (consent, case, notification's e-mail, statistics, meeting
        /// scheduling's case copy), a few reads; an InitiativeSent naming a unit notification does not know, which its
        /// consumer fails 4 times (consumer faults) before recording it as skipped; and a message that is not JSON,
        /// which MassTransit moves straight to notification-initiative-sent_error.
        /// </summary>
        private async Task DriveTrafficAsync()
        {
            var municipality = await Platform.FreshMunicipalityCodeAsync();
            var (caseId, reference) = await ThinSlice.OpenCaseWithInitiativeAsync(municipality);
            using var anna = Platform.As("anna");
            foreach (var path in new[] { $"api/v1/cases/{caseId}", "api/v1/cases", $"api/v1/meetings?caseId={caseId}", "api/v1/statistics/measures/initiatives", "api/v1/notifications/deliveries" })
            {
                (await anna.GetAsync(path)).Dispose(); // the status is not the point; requests are
            }
            // A table served, for the statistics dashboard's panels (anna is staff, not a statistician).
            using (var statistician = Platform.As("statistiker"))
            {
                (await statistician.GetAsync("api/v1/statistics/measures/sips-established?by=sex")).EnsureSuccessStatusCode().Dispose();
            }
            (await anna.GetAsync("/")).Dispose();
            var now = DateTimeOffset.UtcNow;
            var poison = new InitiativeSent(Guid.NewGuid(), now, Platform.Tenant.Tenant, Guid.NewGuid(), "SIP-1999-000000001", Guid.NewGuid(),
                ThinSlice.VardcentralenNorrby, Guid.NewGuid(), municipality, now.AddDays(1));
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("127.0.0.1", 5673, "/", h =>
            {
                h.Username("guest");
                h.Password("guest");
            }));
            await bus.StartAsync();
            try
            {
                await bus.Publish(poison, ctx => ctx.MessageId = poison.EventId);
            }
            finally
            {
                await bus.StopAsync(CancellationToken.None);
            }
            PoisonId = Guid.NewGuid();
            using var rabbit = RabbitManagement();
            using var published = await rabbit.PostAsync("exchanges/%2F/notification-initiative-sent/publish", JsonContent(
                $$"""{"properties":{"content_type":"application/vnd.masstransit+json","message_id":"{{PoisonId}}"},"routing_key":"","payload":"{ not json","payload_encoding":"string"}"""));
            Assert.True(published.IsSuccessStatusCode, $"publishing the malformed message: {(int)published.StatusCode}");
            await ThinSlice.MailAsync(reference, TimeSpan.FromSeconds(60));
            await Eventually.HoldsAsync(async () => (await QueryAsync("sip_inbox_faults_total{consumer=\"InitiativeSentConsumer\"} > 0")).Series > 0,
                TimeSpan.FromSeconds(60), "notification's consumer faults on the unknown unit are scraped");
        }

        private static HttpClient RabbitManagement()
        {
            var rabbit = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:15673/api/") };
            rabbit.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
            return rabbit;
        }

        public Guid PoisonId { get; private set; }

        public async Task<JsonElement> GetAsync(string path)
        {
            using var response = await _http.GetAsync(new Uri(Address, path));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
            return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
        }

        public async Task<(bool Ok, string Error, int Series)> QueryAsync(string query)
        {
            using var response = await _http.PostAsync(new Uri(Address, "api/v1/query"), new FormUrlEncodedContent([new("query", query)]));
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = doc.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                return (false, $"{root.GetProperty("errorType")}: {root.GetProperty("error")}", 0);
            }
            var data = root.GetProperty("data");
            return (true, "", data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1);
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process?.Dispose();
            if (_startedExporter)
            {
                await Platform.SipAsync("stop", "postgres-exporter");
            }
            await RemovePoisonAsync();
            _dir?.Delete(recursive: true);
            _http.Dispose();
        }

        /// <summary>Empties the error queue if it holds nothing but this test's message, so the local alert does not stay on.</summary>
        private async Task RemovePoisonAsync()
        {
            using var rabbit = RabbitManagement();
            const string queue = "queues/%2F/notification-initiative-sent_error";
            using var peek = await rabbit.PostAsync($"{queue}/get", JsonContent("""{"count":10,"ackmode":"ack_requeue_true","encoding":"auto"}"""));
            if (!peek.IsSuccessStatusCode)
            {
                return;
            }
            using var messages = JsonDocument.Parse(await peek.Content.ReadAsStringAsync());
            var ids = messages.RootElement.EnumerateArray().Select(m => m.GetProperty("properties").TryGetProperty("message_id", out var id) ? id.GetString() : null).ToList();
            if (ids.Count > 0 && ids.All(id => Guid.TryParse(id, out var g) && g == PoisonId))
            {
                (await rabbit.DeleteAsync($"{queue}/contents")).Dispose();
            }
        }

        private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

        private async Task<bool> AnswersAsync(string url)
        {
            try
            {
                using var response = await _http.GetAsync(url);
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        private static async Task<string> RunnerOutputAsync(params string[] args)
        {
            var start = new ProcessStartInfo(Path.Combine(Platform.Root, "sip")) { WorkingDirectory = Platform.Root, RedirectStandardOutput = true, RedirectStandardError = true };
            args.ToList().ForEach(start.ArgumentList.Add);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"./sip {string.Join(' ', args)} failed: {stderr}");
            return await stdout;
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
