using System.Text.RegularExpressions;

namespace Sip.Deployment.Tests;

/// <summary>
/// The chart's NetworkPolicies: deny by default, then exactly the flows the platform has. The flows between its own
/// pods are worked out as Kubernetes does (the sender's egress and the receiver's ingress must both allow them) and
/// compared with the calls the code makes, as the local runner configures them (<c>./sip env</c>).
/// </summary>
public sealed partial class NetworkPolicyTests
{
    /// <summary>A pod template: its owner's name and kind, its labels, its containers' named ports (name → number).</summary>
    private sealed record Pod(string Name, string Kind, Dictionary<object, object> Labels, Dictionary<string, string> Ports);

    private sealed record Rule(string Policy, Pod Target, bool Ingress, List<object> Peers, List<string> Ports);

    private static List<Pod> Pods(Manifests manifests) =>
        manifests.Docs.Where(d => d.At("kind").Str() is "Deployment" or "Job")
            .Select(d => new Pod(d.At("metadata", "name").Str()!, d.At("kind").Str()!, d.At("spec", "template", "metadata", "labels").Map(),
                d.At("spec", "template", "spec", "containers").List().SelectMany(c => Manifests.ContainerPorts(c))
                    .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value))).ToList();

    private static bool SelectsPod(object? selector, Pod pod) =>
        selector is Dictionary<object, object> { Count: 0 } || Manifests.Selects(selector, pod.Labels);

    private static List<Rule> Rules(Manifests manifests, List<Pod> pods) =>
        manifests.OfKind("NetworkPolicy").SelectMany(p =>
        {
            var name = p.At("metadata", "name").Str()!;
            var targets = pods.Where(pod => SelectsPod(p.At("spec", "podSelector"), pod)).ToList();
            var rules = p.At("spec", "ingress").List().Select(r => (Ingress: true, Rule: r, Peers: r.At("from")))
                .Concat(p.At("spec", "egress").List().Select(r => (Ingress: false, Rule: r, Peers: r.At("to"))));
            return targets.SelectMany(t => rules.Select(r => new Rule(name, t, r.Ingress,
                r.Peers is null ? [new Dictionary<object, object>()] : r.Peers.List(), // no from/to: everyone
                r.Rule.At("ports").List().Select(port => PortNumber(port.At("port")?.ToString(), r.Ingress ? t : null)).DefaultIfEmpty("*").ToList())));
        }).ToList();

    /// <summary>
    /// A policy's port as a number: a named port of an ingress rule is the target pod's containerPort of that name (an
    /// egress rule's named port is left as it is); no port is every port ("*").
    /// </summary>
    private static string PortNumber(string? port, Pod? target) =>
        port is null ? "*" : target is not null && target.Ports.TryGetValue(port, out var number) ? number : port;

    /// <summary>A peer that names only pods of this namespace (no namespaceSelector, no ipBlock).</summary>
    private static bool IsLocal(object peer) => peer.At("podSelector") is not null && peer.At("namespaceSelector") is null && peer.At("ipBlock") is null;

    private static HashSet<string> Flows(List<Rule> rules, List<Pod> pods)
    {
        string Key(Pod from, Pod to, string port) => $"{from.Name} -> {to.Name}:{port}";
        var egress = rules.Where(r => !r.Ingress).SelectMany(r => r.Peers.SelectMany(peer => pods
            .Where(p => IsLocal(peer) && SelectsPod(peer.At("podSelector"), p)).SelectMany(p => r.Ports.Select(port => Key(r.Target, p, port))))).ToHashSet();
        var ingress = rules.Where(r => r.Ingress).SelectMany(r => r.Peers.SelectMany(peer => pods
            .Where(p => IsLocal(peer) && SelectsPod(peer.At("podSelector"), p)).SelectMany(p => r.Ports.Select(port => Key(p, r.Target, port))))).ToHashSet();
        egress.IntersectWith(ingress);
        return egress;
    }

    private static (string Http, string Grpc) Ports(Manifests manifests)
    {
        var ports = manifests.OfKind("Service").SelectMany(s => s.At("spec", "ports").List())
            .GroupBy(p => p.At("name").Str() ?? "").ToDictionary(g => g.Key, g => g.First().At("port")?.ToString() ?? "");
        return (ports["http"], ports["grpc"]);
    }

    private static string Describe(object peer) => string.Join(";", new[] { "namespaceSelector", "podSelector", "ipBlock" }
        .Select(k => k + "=" + Describe2(peer.At(k))));

    /// <summary>Ingress from outside the platform's pods, per target pod and peer.</summary>
    private static List<(string Target, string Peer, List<string> Ports)> OutsideIngress(List<Rule> rules) =>
        rules.Where(r => r.Ingress).SelectMany(r => r.Peers.Where(p => !IsLocal(p)).Select(p => (r.Target.Name, Describe(p), r.Ports))).ToList();

    /// <summary>Prometheus: the outside peer(s) that every Deployment admits.</summary>
    private static HashSet<string> PrometheusPeers(List<Rule> rules, List<Pod> pods) =>
        OutsideIngress(rules).GroupBy(x => x.Peer)
            .Where(g => pods.Where(p => p.Kind == "Deployment").All(d => g.Any(x => x.Target == d.Name))).Select(g => g.Key).ToHashSet();

    [GeneratedRegex("^Services__(?<name>.+)Grpc$")]
    private static partial Regex GrpcSetting();

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task A_default_deny_policy_covers_every_pod_in_the_namespace(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var denies = manifests.OfKind("NetworkPolicy").Where(p =>
            p.At("spec", "podSelector").Map().Count == 0
            && p.At("spec", "policyTypes").List().Contains("Ingress") && p.At("spec", "policyTypes").List().Contains("Egress")
            && p.At("spec", "ingress").List().Count == 0 && p.At("spec", "egress").List().Count == 0);
        Assert.True(denies.Any(), $"{manifests.What}: no NetworkPolicy with podSelector {{}} that denies all ingress and egress");
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task The_platforms_pods_reach_each_other_only_along_the_calls_the_code_makes(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var (http, grpc) = Ports(manifests);
        var deployables = await Runner.DeployablesAsync();
        var expected = new HashSet<string>();
        foreach (var d in deployables)
        {
            var keys = await Runner.EnvKeysAsync(d.Name);
            if (d.Name == "gateway")
            {
                // The gateway routes to every other deployable (the runner's ReverseProxy__Clusters__*).
                expected.UnionWith(deployables.Where(u => u.Name != "gateway").Select(u => $"gateway -> {u.Name}:{http}"));
            }
            if (keys.Contains("Services__Gateway"))
            {
                expected.Add($"{d.Name} -> gateway:{http}");
            }
            foreach (var match in keys.Select(k => GrpcSetting().Match(k)).Where(m => m.Success))
            {
                var callee = deployables.Single(c => string.Equals(c.Name.Replace("-", ""), match.Groups["name"].Value, StringComparison.OrdinalIgnoreCase));
                expected.Add($"{d.Name} -> {callee.Name}:{grpc}");
            }
        }
        var pods = Pods(manifests);
        var actual = Flows(Rules(manifests, pods), pods);
        var missing = expected.Except(actual).Order(StringComparer.Ordinal).ToList();
        var extra = actual.Except(expected).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{manifests.What}:\n  blocked, but the platform makes these calls: {string.Join(", ", missing)}\n  allowed, but no code makes these: {string.Join(", ", extra)}");
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Outside_peers_reach_only_the_ports_they_need(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var (http, _) = Ports(manifests);
        var pods = Pods(manifests);
        var rules = Rules(manifests, pods);
        var services = (await Runner.DeployablesAsync()).Where(d => d.IsService).Select(d => d.Name).ToHashSet();
        var failures = new List<string>();
        foreach (var r in rules)
        {
            var what = $"{r.Policy} ({(r.Ingress ? "ingress to" : "egress from")} {r.Target.Name})";
            if (r.Ports.Contains("*"))
            {
                failures.Add($"{what}: a rule without ports allows every port");
            }
            if (r.Peers.Any(p => p.Map().Count == 0))
            {
                failures.Add($"{what}: a rule without peers allows everyone");
            }
        }
        // Ingress from outside the platform's pods: Prometheus on every pod's metrics port (only), and the ingress
        // controller on the gateway's HTTP port. Prometheus is the outside peer every deployable admits.
        var outsideIngress = OutsideIngress(rules);
        var admittedByAll = PrometheusPeers(rules, pods);
        if (admittedByAll.Count == 0)
        {
            failures.Add("no outside peer (Prometheus) may reach every deployable's metrics port");
        }
        foreach (var (target, peer, ports) in outsideIngress)
        {
            var metrics = pods.First(p => p.Name == target).Ports.GetValueOrDefault("metrics");
            if (admittedByAll.Contains(peer) && ports.Any(p => p != metrics))
            {
                failures.Add($"{target}: Prometheus reaches port(s) {string.Join(",", ports)}, only the metrics port {metrics} may be");
            }
            if (!admittedByAll.Contains(peer) && (target != "gateway" || ports.Any(p => p != http)))
            {
                failures.Add($"{target}: admits an outside peer other than Prometheus ({peer}) on port(s) {string.Join(",", ports)}; only the gateway faces the ingress controller, on {http}");
            }
        }
        if (!outsideIngress.Any(x => x.Target == "gateway" && !admittedByAll.Contains(x.Peer)))
        {
            failures.Add("the gateway admits no ingress controller");
        }
        if (rules.Any(r => r.Ingress && r.Target.Labels.At("app.kubernetes.io/component").Str() == "migrate"))
        {
            failures.Add("a migrate Job admits ingress");
        }
        // PostgreSQL (5432) only from the services and their migrate Jobs; RabbitMQ (5672) only from the services.
        foreach (var r in rules.Where(r => !r.Ingress && r.Peers.Any(p => !IsLocal(p) || !pods.Any(pod => SelectsPod(p.At("podSelector"), pod)))))
        {
            var isMigrate = r.Target.Labels.At("app.kubernetes.io/component").Str() == "migrate";
            if (r.Ports.Contains("5432") && !services.Contains(r.Target.Name) && !isMigrate)
            {
                failures.Add($"{r.Target.Name}: may reach PostgreSQL, but has no schema");
            }
            if (r.Ports.Contains("5672") && !services.Contains(r.Target.Name))
            {
                failures.Add($"{r.Target.Name}: may reach RabbitMQ, but is no service");
            }
        }
        foreach (var service in services)
        {
            if (!rules.Any(r => !r.Ingress && r.Target.Name == service && r.Ports.Contains("5432")))
            {
                failures.Add($"{service}: may not reach PostgreSQL");
            }
            if (!rules.Any(r => !r.Ingress && r.Target.Name == service && r.Ports.Contains("5672")))
            {
                failures.Add($"{service}: may not reach RabbitMQ");
            }
            if (!rules.Any(r => !r.Ingress && r.Target.Name == $"{service}-migrate" && r.Ports.Contains("5432")))
            {
                failures.Add($"{service}-migrate: may not reach PostgreSQL");
            }
        }
        if (!pods.All(p => rules.Any(r => !r.Ingress && r.Target == p && r.Ports.Contains("53"))))
        {
            failures.Add("not every pod may resolve names (DNS, port 53)");
        }
        Assert.True(failures.Count == 0, $"{manifests.What}:\n  " + string.Join("\n  ", failures.Distinct()));
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Prometheus_reaches_only_the_metrics_port_and_nothing_else_reaches_it(string valuesSet)
    {
        // /metrics answers only on the metrics port (Metrics__Port), so who reaches that port is who reads the metrics.
        var manifests = await Chart.RenderAsync(valuesSet);
        var pods = Pods(manifests);
        var rules = Rules(manifests, pods);
        var prometheus = PrometheusPeers(rules, pods);
        var failures = new List<string>();
        if (prometheus.Count == 0)
        {
            failures.Add("no outside peer (Prometheus) is admitted by every Deployment");
        }
        foreach (var pod in pods.Where(p => p.Kind == "Deployment"))
        {
            if (!pod.Ports.TryGetValue("metrics", out var metrics))
            {
                failures.Add($"{pod.Name}: declares no containerPort named metrics");
                continue;
            }
            var own = rules.Where(r => r.Ingress && r.Target == pod).ToList();
            foreach (var r in own.Where(r => r.Ports.Contains(metrics) || r.Ports.Contains("*")))
            {
                failures.AddRange(r.Peers.Where(p => !prometheus.Contains(Describe(p)))
                    .Select(p => $"{r.Policy}: admits {Describe(p)} to {pod.Name}'s metrics port {metrics}; only Prometheus may reach it"));
            }
            foreach (var r in own.Where(r => r.Peers.Any(p => prometheus.Contains(Describe(p)))))
            {
                if (r.Ports.Any(p => p != metrics))
                {
                    failures.Add($"{r.Policy}: admits Prometheus to {pod.Name}'s port(s) {string.Join(",", r.Ports)}; it names only the metrics port {metrics}");
                }
            }
            if (!own.Any(r => r.Ports.Contains(metrics) && r.Peers.Any(p => prometheus.Contains(Describe(p)))))
            {
                failures.Add($"{pod.Name}: Prometheus may not reach its metrics port {metrics}");
            }
        }
        Assert.True(failures.Count == 0, $"{manifests.What}:\n  " + string.Join("\n  ", failures.Distinct()));
    }

    private static string Describe2(object? node) => node switch
    {
        null => "-",
        Dictionary<object, object> map => "{" + string.Join(",", map.OrderBy(e => e.Key.ToString(), StringComparer.Ordinal).Select(e => $"{e.Key}:{Describe2(e.Value)}")) + "}",
        List<object> list => "[" + string.Join(",", list.Select(Describe2)) + "]",
        _ => node.ToString() ?? "",
    };
}
