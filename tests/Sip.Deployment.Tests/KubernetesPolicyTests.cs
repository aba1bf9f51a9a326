using System.Text.RegularExpressions;

namespace Sip.Deployment.Tests;

/// <summary>What every rendered deployment must hold, with the chart's defaults and with each example values file.</summary>
public sealed partial class KubernetesPolicyTests
{
    private static void AssertNone(List<string> failures, Manifests manifests) =>
        Assert.True(failures.Count == 0, $"{manifests.What}:\n  " + string.Join("\n  ", failures));

    private static bool IsTrue(object? node) => node is true || node as string == "true";

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Every_Deployment_is_probed_bounded_non_root_read_only_and_spread_over_nodes(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        foreach (var deployment in manifests.OfKind("Deployment"))
        {
            var name = deployment.At("metadata", "name").Str();
            var pod = deployment.At("spec", "template", "spec");
            var labels = Manifests.PodLabels(deployment);
            var spread = pod.At("topologySpreadConstraints").List();
            if (!spread.Any(t => t.At("topologyKey").Str() == "kubernetes.io/hostname" && Manifests.Selects(t.At("labelSelector"), labels)))
            {
                failures.Add($"{name}: no topology spread over kubernetes.io/hostname that selects its own pods");
            }
            var tmpVolumes = pod.At("volumes").List().Where(v => v.At("emptyDir") is not null).Select(v => v.At("name").Str()).ToHashSet();
            foreach (var container in pod.At("containers").List())
            {
                var where = $"{name}/{container.At("name").Str()}";
                var security = container.At("securityContext");
                if (!IsTrue(security.At("readOnlyRootFilesystem")))
                {
                    failures.Add($"{where}: readOnlyRootFilesystem is not true");
                }
                if (!IsTrue(security.At("runAsNonRoot") ?? pod.At("securityContext", "runAsNonRoot")))
                {
                    failures.Add($"{where}: runAsNonRoot is not true");
                }
                if (security.At("allowPrivilegeEscalation") is not ("false" or false)
                    || !security.At("capabilities", "drop").List().Contains("ALL"))
                {
                    failures.Add($"{where}: must drop ALL capabilities and forbid privilege escalation");
                }
                if (!container.At("volumeMounts").List().Any(m => m.At("mountPath").Str() == "/tmp" && tmpVolumes.Contains(m.At("name").Str())))
                {
                    failures.Add($"{where}: no emptyDir at /tmp (the root filesystem is read-only)");
                }
                if (container.At("livenessProbe", "httpGet", "path").Str() != "/health/live")
                {
                    failures.Add($"{where}: liveness probe is not GET /health/live");
                }
                if (container.At("readinessProbe", "httpGet", "path").Str() != "/health/ready")
                {
                    failures.Add($"{where}: readiness probe is not GET /health/ready");
                }
                if (container.At("startupProbe", "httpGet") is null)
                {
                    failures.Add($"{where}: no startup probe (a slow start would be killed by the liveness probe)");
                }
                foreach (var part in new[] { "requests", "limits" })
                {
                    if (container.At("resources", part, "memory") is null)
                    {
                        failures.Add($"{where}: no memory {part}");
                    }
                }
                if (container.At("resources", "requests", "cpu") is null)
                {
                    failures.Add($"{where}: no CPU request (the autoscaler's utilisation is a share of it)");
                }
                if (Manifests.Env(container).ContainsKey("Auth__DevSigningKeyFile"))
                {
                    failures.Add($"{where}: Auth__DevSigningKeyFile belongs to development only");
                }
            }
            var annotations = deployment.At("spec", "template", "metadata", "annotations").Map();
            if (annotations.At("prometheus.io/scrape").Str() != "true" || annotations.At("prometheus.io/path").Str() != "/metrics")
            {
                failures.Add($"{name}: pod lacks prometheus.io/scrape=true, path /metrics annotations");
            }
        }
        AssertNone(failures, manifests);
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Every_Deployment_has_a_disruption_budget_and_an_autoscaler(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        foreach (var deployment in manifests.OfKind("Deployment"))
        {
            failures.AddRange(BudgetAndAutoscalerFailures(manifests, deployment));
        }
        AssertNone(failures, manifests);
    }

    [Fact]
    public async Task A_new_deployable_in_the_runners_table_cannot_ship_without_Deployment_autoscaler_budget_and_network_policy()
    {
        var manifests = await Chart.RenderAsync("production.yaml");
        var failures = new List<string>();
        foreach (var d in await Runner.DeployablesAsync())
        {
            var deployment = manifests.Find("Deployment", d.Name);
            if (deployment is null)
            {
                failures.Add($"{d.Name}: no Deployment (add it to charts/sip-platform/values.yaml services, or as gateway/web are)");
                continue;
            }
            failures.AddRange(BudgetAndAutoscalerFailures(manifests, deployment));
            var labels = Manifests.PodLabels(deployment);
            var own = manifests.OfKind("NetworkPolicy").Where(p =>
                p.At("spec", "podSelector", "matchLabels").Map().Count > 0 && Manifests.Selects(p.At("spec", "podSelector"), labels)
                && p.At("spec", "ingress").List().Count > 0 && p.At("spec", "egress").List().Count > 0);
            if (!own.Any())
            {
                failures.Add($"{d.Name}: no NetworkPolicy of its own allowing its ingress and egress (the default deny would cut it off)");
            }
        }
        AssertNone(failures, manifests);
    }

    private static IEnumerable<string> BudgetAndAutoscalerFailures(Manifests manifests, Dictionary<object, object> deployment)
    {
        var name = deployment.At("metadata", "name").Str();
        var labels = Manifests.PodLabels(deployment);
        if (!manifests.OfKind("PodDisruptionBudget").Any(p => Manifests.Selects(p.At("spec", "selector"), labels)))
        {
            yield return $"{name}: no PodDisruptionBudget selects its pods";
        }
        var hpa = manifests.OfKind("HorizontalPodAutoscaler").FirstOrDefault(h =>
            h.At("spec", "scaleTargetRef", "kind").Str() == "Deployment" && h.At("spec", "scaleTargetRef", "name").Str() == name);
        if (hpa is null)
        {
            yield return $"{name}: no HorizontalPodAutoscaler targets it";
        }
        else if (!hpa.At("spec", "metrics").List().Any(m => m.At("resource", "name").Str() == "cpu"))
        {
            yield return $"{name}: its HorizontalPodAutoscaler does not scale on CPU";
        }
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Every_Deployment_serves_metrics_on_a_port_of_its_own_that_it_is_told_and_its_Service_names(string valuesSet)
    {
        // Sip.ServiceDefaults MapMetricsEndpoint: with Metrics__Port set, /metrics answers only on connections to that
        // port and 404 on every other; unset, it answers on every port, the Ingress's included.
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        foreach (var deployment in manifests.OfKind("Deployment"))
        {
            var name = deployment.At("metadata", "name").Str()!;
            var container = Manifests.Container(deployment);
            var env = Manifests.Env(container);
            var ports = Manifests.ContainerPorts(container);
            var told = env.At("Metrics__Port").At("value").Str();
            if (!ports.TryGetValue("metrics", out var metrics) || !ports.TryGetValue("http", out var http))
            {
                failures.Add($"{name}: declares no containerPort named metrics and one named http ({string.Join(", ", ports.Keys)})");
                continue;
            }
            if (told != metrics)
            {
                failures.Add($"{name}: Metrics__Port is '{told ?? "unset"}', not its metrics containerPort {metrics}");
            }
            if (metrics == http)
            {
                failures.Add($"{name}: the metrics port is the http port {http}, which the Ingress and the other deployables reach");
            }
            // Kestrel listens on every declared port, gRPC (h2c, HTTP/2 only) included.
            var listens = env.Where(e => e.Key is string k && k.StartsWith("Kestrel__Endpoints__", StringComparison.Ordinal) && k.EndsWith("__Url", StringComparison.Ordinal))
                .Select(e => (Port: Uri.TryCreate(e.Value.At("value").Str(), UriKind.Absolute, out var url) ? url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?",
                    Endpoint: ((string)e.Key)[..^"__Url".Length]))
                .GroupBy(l => l.Port).ToDictionary(g => g.Key, g => g.First().Endpoint);
            foreach (var (portName, number) in ports)
            {
                if (!listens.TryGetValue(number, out var endpoint))
                {
                    failures.Add($"{name}: no Kestrel__Endpoints__*__Url listens on its {portName} port {number}");
                }
                else if (portName == "grpc" && env.At($"{endpoint}__Protocols").At("value").Str() != "Http2")
                {
                    failures.Add($"{name}: {endpoint} (gRPC, h2c) is not Http2 only");
                }
            }
            var annotations = deployment.At("spec", "template", "metadata", "annotations").Map();
            if (annotations.At("prometheus.io/port").Str() != metrics)
            {
                failures.Add($"{name}: prometheus.io/port is '{annotations.At("prometheus.io/port").Str()}', not the metrics port {metrics}");
            }
            foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                if (container.At(probe, "httpGet", "port")?.ToString() is "metrics" || container.At(probe, "httpGet", "port")?.ToString() == metrics)
                {
                    failures.Add($"{name}: {probe} uses the metrics port, which only Prometheus may reach");
                }
            }
            var servicePort = manifests.Find("Service", name).At("spec", "ports").List().FirstOrDefault(p => p.At("name").Str() == "metrics");
            if (servicePort is null || TargetContainerPort(servicePort, ports) != metrics)
            {
                failures.Add($"{name}: its Service has no port named metrics that targets the metrics containerPort {metrics}");
            }
        }
        AssertNone(failures, manifests);
    }

    /// <summary>The containerPort a Service port sends to: its targetPort by name or number (default: its port).</summary>
    private static string? TargetContainerPort(object servicePort, Dictionary<string, string> containerPorts)
    {
        var target = (servicePort.At("targetPort") ?? servicePort.At("port"))?.ToString();
        return target is not null && containerPorts.TryGetValue(target, out var number) ? number : target;
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Only_the_gateway_is_behind_the_ingress_and_only_on_its_http_port_never_the_metrics_port(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        var ingresses = manifests.OfKind("Ingress").ToList();
        var paths = ingresses.SelectMany(i => i.At("spec", "rules").List().SelectMany(r => r.At("http", "paths").List()
            .Select(p => (Host: r.At("host").Str(), Path: p.At("path").Str() ?? "/", Backend: p.At("backend", "service"))))).ToList();
        if (!paths.Any(p => p.Backend.At("name").Str() == "gateway" && p.Path == "/"))
        {
            failures.Add("no Ingress routes / to the gateway");
        }
        failures.AddRange(ingresses.Where(i => i.At("spec", "defaultBackend") is not null).Select(i => $"Ingress {i.At("metadata", "name").Str()} has a defaultBackend"));

        var gatewayPorts = Manifests.ContainerPorts(Manifests.Container(manifests.Find("Deployment", "gateway")));
        var servicePorts = manifests.Find("Service", "gateway").At("spec", "ports").List();
        foreach (var (host, path, backend) in paths)
        {
            var where = $"Ingress path {host}{path}";
            if (backend.At("name").Str() != "gateway")
            {
                failures.Add($"{where} goes to {backend.At("name").Str() ?? "a non-Service backend"}, not the gateway");
                continue;
            }
            var byName = backend.At("port", "name").Str();
            var byNumber = backend.At("port", "number")?.ToString();
            var port = servicePorts.FirstOrDefault(p => byName is not null ? p.At("name").Str() == byName : p.At("port")?.ToString() == byNumber);
            if (port is null)
            {
                failures.Add($"{where}: the gateway Service has no port {byName ?? byNumber}");
                continue;
            }
            var target = TargetContainerPort(port, gatewayPorts);
            if (port.At("name").Str() != "http" || target != gatewayPorts.GetValueOrDefault("http") || target == gatewayPorts.GetValueOrDefault("metrics"))
            {
                failures.Add($"{where}: reaches the gateway Service's port {port.At("name").Str()} (container port {target}); only its http port "
                    + $"(container {gatewayPorts.GetValueOrDefault("http")}) may be reached, never metrics ({gatewayPorts.GetValueOrDefault("metrics")})");
            }
        }
        AssertNone(failures, manifests);
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task No_Secret_and_no_password_is_in_the_manifests_and_every_connection_requires_TLS(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        if (manifests.OfKind("Secret").Any())
        {
            failures.Add("contains a Secret: the chart only names Secrets the operator created");
        }
        foreach (var (owner, container) in manifests.Containers())
        {
            foreach (var (key, entry) in Manifests.Env(container))
            {
                var name = (string)key;
                var value = entry.At("value").Str() ?? "";
                if (value.Contains("password=", StringComparison.OrdinalIgnoreCase) || value.Contains("pwd=", StringComparison.OrdinalIgnoreCase))
                {
                    failures.Add($"{owner}: {name} carries a password in its value");
                }
                if (name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase))
                {
                    if (entry.At("valueFrom", "secretKeyRef", "name") is null)
                    {
                        failures.Add($"{owner}: {name} is not read from a Secret (secretKeyRef)");
                    }
                }
                if (name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && !value.Contains("SSL Mode=Require", StringComparison.Ordinal))
                {
                    failures.Add($"{owner}: {name} does not use SSL Mode=Require: {value}");
                }
            }
        }
        if (PasswordLiteral().Match(manifests.Text) is { Success: true } literal)
        {
            failures.Add($"a literal password in the rendered text: …{literal.Value}…");
        }
        AssertNone(failures, manifests);
    }

    [GeneratedRegex(@"(?i)(password\s*[=:]\s*[^\s$""'][^\s;""']*)")]
    private static partial Regex PasswordLiteral();

    [Fact]
    public async Task Database_passwords_travel_only_in_their_own_variables_from_Secrets()
    {
        var manifests = await Chart.RenderAsync(Chart.Defaults);
        var failures = new List<string>();
        foreach (var d in (await Runner.DeployablesAsync()).Where(d => d.IsService))
        {
            var service = Manifests.Env(Manifests.Container(manifests.Find("Deployment", d.Name)));
            var migrate = Manifests.Env(Manifests.Container(manifests.Find("Job", $"{d.Name}-migrate")));
            var dbSecret = service.At("Database__Password").At("valueFrom", "secretKeyRef", "name").Str();
            if (dbSecret is null || service.At("Database__Password").At("valueFrom", "secretKeyRef", "key").Str() != "password")
            {
                failures.Add($"{d.Name}: Database__Password is not the password key of a Secret");
            }
            if (migrate.At("Database__Password").At("valueFrom", "secretKeyRef", "name").Str() != dbSecret)
            {
                failures.Add($"{d.Name}-migrate: Database__Password is not from the service's own Secret {dbSecret}");
            }
            if (migrate.At("DatabaseAdmin__Password").At("valueFrom", "secretKeyRef", "key").Str() != "password"
                || migrate.At("ConnectionStrings__DatabaseAdmin") is null)
            {
                failures.Add($"{d.Name}-migrate: no ConnectionStrings__DatabaseAdmin with DatabaseAdmin__Password from a Secret");
            }
            if (service.ContainsKey("ConnectionStrings__DatabaseAdmin") || service.ContainsKey("DatabaseAdmin__Password"))
            {
                failures.Add($"{d.Name}: a running service gets the superuser; only its migrate Job may");
            }
        }
        AssertNone(failures, manifests);
    }

    [Fact]
    public async Task Queue_depth_autoscalers_read_the_series_that_k8s_monitoring_records_for_their_service()
    {
        var manifests = await Chart.RenderAsync(Chart.Defaults);
        var rules = Yaml.Documents(File.ReadAllText(Path.Combine(Repo.Root, "k8s", "monitoring.yaml")))
            .Where(d => d.At("kind").Str() == "PrometheusRule")
            .SelectMany(d => d.At("spec", "groups").List()).SelectMany(g => g.At("rules").List())
            .Where(r => r.At("record") is not null)
            .ToDictionary(r => r.At("record").Str()!, r => r.At("expr").Str() ?? "");
        var failures = new List<string>();
        var external = manifests.OfKind("HorizontalPodAutoscaler")
            .SelectMany(h => h.At("spec", "metrics").List().Where(m => m.At("type").Str() == "External")
                .Select(m => (Hpa: h.At("metadata", "name").Str(), Metric: m.At("external", "metric", "name").Str() ?? "",
                    Service: m.At("external", "metric", "selector", "matchLabels", "service").Str())))
            .ToList();
        Assert.True(external.Count > 0, "no autoscaler scales on queue depth");
        foreach (var (hpa, metric, service) in external)
        {
            if (!rules.TryGetValue(metric, out var expr))
            {
                failures.Add($"{hpa}: reads {metric}, which k8s/monitoring.yaml does not record");
            }
            else if (service is null || !Regex.IsMatch(expr, $@"[(|]{Regex.Escape(service)}[|)]"))
            {
                failures.Add($"{hpa}: the {metric} rule does not attribute any queue to service \"{service}\"");
            }
        }
        AssertNone(failures, manifests);
    }
}
