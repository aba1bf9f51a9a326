using System.Text.Json;

namespace Sip.Deployment.Tests;

/// <summary>
/// The alert rules (charts/sip-platform/rules/alerts.yaml) pass promtool's check and its unit tests
/// (tests/prometheus/alerts.test.yaml); every alert is tested, has a runbook, and reaches the chart's PrometheusRule;
/// every dashboard reaches a ConfigMap for the Grafana sidecar. promtool comes with Debian's prometheus package,
/// which ./sip up installs.
/// </summary>
public sealed class AlertRuleTests
{
    private const string RulesFile = "charts/sip-platform/rules/alerts.yaml";
    private const string RuleTestsFile = "tests/prometheus/alerts.test.yaml";

    private static string InRepo(string path) => Path.Combine(Repo.Root, path);

    private static async Task<ProcessResult> PromtoolAsync(params string[] args)
    {
        var result = await Proc.RunAsync("promtool", args);
        Assert.False(result.ExitCode == -1 && result.StdErr.StartsWith("could not start", StringComparison.Ordinal),
            "promtool is missing: install Debian's prometheus package (./sip up does: apt-get install prometheus)");
        return result;
    }

    private static List<Dictionary<object, object>> Alerts() =>
        Yaml.Documents(File.ReadAllText(InRepo(RulesFile))).Single().At("groups").List()
            .SelectMany(g => g.At("rules").List()).Select(r => r.Map()).Where(r => r.At("alert") is not null).ToList();

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var result = await PromtoolAsync("check", "rules", InRepo(RulesFile));
        Assert.True(result.ExitCode == 0, result.Describe("promtool check rules"));
    }

    [Fact]
    public async Task Promtool_unit_tests_of_the_alerts_pass()
    {
        var result = await PromtoolAsync("test", "rules", InRepo(RuleTestsFile));
        Assert.True(result.ExitCode == 0, result.Describe("promtool test rules"));
    }

    [Fact]
    public void Every_alert_has_a_firing_test_case_a_severity_and_a_runbook_that_says_what_it_means_how_to_confirm_and_what_to_do()
    {
        var alerts = Alerts();
        Assert.True(alerts.Count >= 15, $"only {alerts.Count} alerts in {RulesFile}");
        var fired = Yaml.Documents(File.ReadAllText(InRepo(RuleTestsFile))).Single().At("tests").List()
            .SelectMany(t => t.At("alert_rule_test").List())
            .Where(c => c.At("exp_alerts").List().Count > 0)
            .Select(c => c.At("alertname").Str())
            .ToHashSet();
        var failures = new List<string>();
        foreach (var alert in alerts)
        {
            var name = alert.At("alert").Str()!;
            if (!fired.Contains(name))
            {
                failures.Add($"{name}: no test case in {RuleTestsFile} expects it to fire");
            }
            if (alert.At("labels", "severity").Str() is not ("page" or "ticket"))
            {
                failures.Add($"{name}: severity is not page or ticket");
            }
            var runbook = $"docs/runbooks/{name}.md";
            if (alert.At("annotations", "runbook_url").Str() != runbook)
            {
                failures.Add($"{name}: runbook_url is not {runbook}");
            }
            if (!File.Exists(InRepo(runbook)))
            {
                failures.Add($"{name}: {runbook} does not exist");
                continue;
            }
            var text = File.ReadAllText(InRepo(runbook));
            foreach (var section in new[] { "## What it means", "## How to confirm", "## What to do" })
            {
                if (!text.Contains(section, StringComparison.Ordinal))
                {
                    failures.Add($"{runbook}: no '{section}' section");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_chart_renders_the_rules_file_as_a_PrometheusRule_every_dashboard_as_a_sidecar_ConfigMap_and_a_PodMonitor()
    {
        await Tools.EnsureAsync();
        var chart = InRepo("charts/sip-platform");
        var off = await Proc.CheckAsync("helm template", Repo.Helm, ["template", "sip", chart]);
        Assert.DoesNotContain("monitoring.coreos.com", off, StringComparison.Ordinal);

        var text = await Proc.CheckAsync("helm template (monitoring)", Repo.Helm, ["template", "sip", chart, "--namespace", "sip-platform",
            "--set", "monitoring.enabled=true", "--set", "monitoring.runbookBaseUrl=https://git.region.test/sip/-/blob/main/"]);
        var manifests = new Manifests("helm template (monitoring)", text);

        var rule = manifests.OfKind("PrometheusRule").Single();
        Assert.Equal("monitoring.coreos.com/v1", rule.At("apiVersion").Str());
        var rendered = rule.At("spec", "groups").List().SelectMany(g => g.At("rules").List()).Where(r => r.At("alert") is not null).ToList();
        Assert.Equal(Alerts().Select(a => a.At("alert").Str()), rendered.Select(r => r.At("alert").Str()));
        Assert.All(rendered, r => Assert.Equal($"https://git.region.test/sip/-/blob/main/docs/runbooks/{r.At("alert").Str()}.md",
            r.At("annotations", "runbook_url").Str()));
        Assert.All(rendered, r => Assert.Contains(Alerts(), a => a.At("alert").Str() == r.At("alert").Str() && a.At("expr").Str() == r.At("expr").Str()));

        var dashboards = Directory.GetFiles(InRepo("charts/sip-platform/dashboards"), "*.json").Select(f => Path.GetFileName(f)!).Order().ToList();
        var configMaps = manifests.OfKind("ConfigMap").Where(c => c.At("metadata", "labels", "grafana_dashboard").Str() == "1").ToList();
        Assert.Equal(dashboards, configMaps.SelectMany(c => c.At("data").Map().Keys.Cast<string>()).Order().ToList());
        foreach (var configMap in configMaps)
        {
            var (file, json) = configMap.At("data").Map().Single();
            Assert.Equal(File.ReadAllText(InRepo($"charts/sip-platform/dashboards/{file}")).TrimEnd(), ((string)json).TrimEnd());
        }
        await Tools.ValidateAsync("dashboard ConfigMaps", await Proc.CheckAsync("helm template (dashboards)", Repo.Helm,
            ["template", "sip", chart, "--set", "monitoring.enabled=true", "--show-only", "templates/monitoring-dashboards.yaml"]));

        var podMonitor = manifests.Find("PodMonitor", "sip-platform");
        Assert.NotNull(podMonitor);
        Assert.Equal("app.kubernetes.io/name", podMonitor.At("spec", "jobLabel").Str());
        var endpoint = podMonitor.At("spec", "podMetricsEndpoints").List().Single();
        Assert.Equal(("metrics", "/metrics"), (endpoint.At("port").Str(), endpoint.At("path").Str()));
        // Every deployable's pod carries the labels the PodMonitor selects, and serves /metrics on the port it names.
        foreach (var d in await Runner.DeployablesAsync())
        {
            var pod = manifests.Find("Deployment", d.Name).At("spec", "template");
            foreach (var (key, value) in podMonitor.At("spec", "selector", "matchLabels").Map())
            {
                Assert.True(pod.At("metadata", "labels", (string)key).Str() == (string)value, $"{d.Name}'s pods lack {key}={value}");
            }
            Assert.Contains(pod.At("spec", "containers").List().SelectMany(c => c.At("ports").List()), p => p.At("name").Str() == "metrics");
            Assert.Equal(d.Name, pod.At("metadata", "labels", "app.kubernetes.io/name").Str());
        }
    }

    [Fact]
    public void Every_dashboard_is_Grafana_JSON_with_the_datasource_as_a_variable_and_a_query_in_every_panel()
    {
        var files = Directory.GetFiles(InRepo("charts/sip-platform/dashboards"), "*.json");
        Assert.True(files.Length >= 5, "expected the overview, messaging, process, PostgreSQL, RabbitMQ and per-service dashboards");
        var failures = new List<string>();
        var uids = new HashSet<string>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            if (!uids.Add(root.GetProperty("uid").GetString()!))
            {
                failures.Add($"{name}: uid is not unique");
            }
            if (!root.GetProperty("templating").GetProperty("list").EnumerateArray()
                    .Any(v => v.GetProperty("name").GetString() == "datasource" && v.GetProperty("type").GetString() == "datasource"))
            {
                failures.Add($"{name}: no datasource variable");
            }
            foreach (var panel in root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row"))
            {
                var title = panel.GetProperty("title").GetString();
                if (panel.GetProperty("datasource").GetProperty("uid").GetString() != "${datasource}")
                {
                    failures.Add($"{name} / {title}: datasource is not ${{datasource}}");
                }
                if (!panel.TryGetProperty("targets", out var targets) || targets.GetArrayLength() == 0
                    || targets.EnumerateArray().Any(t => string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString())))
                {
                    failures.Add($"{name} / {title}: a panel without a query");
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
