namespace Sip.Deployment.Tests;

/// <summary>
/// charts/sip-platform (the one deployment definition) and k8s/ (what it runs on): render, validate against the
/// schemas (the operators' CRDs included), cover every deployable the runner knows.
/// </summary>
public sealed class KubernetesTests
{
    private static string[] EngineFiles() => Directory.GetFiles(Path.Combine(Repo.Root, "k8s"), "*.yaml").Order(StringComparer.Ordinal).ToArray();

    private static async Task<Manifests> EnginesAsync()
    {
        var text = string.Join("\n---\n", EngineFiles().Select(f => $"# Source: k8s/{Path.GetFileName(f)}\n" + File.ReadAllText(f)));
        await Tools.ValidateAsync("k8s/*.yaml", text);
        return new Manifests("k8s/*.yaml", text);
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Helm_lint_passes(string valuesSet)
    {
        await Tools.EnsureAsync();
        await Proc.CheckAsync($"helm lint ({valuesSet})", Repo.Helm, ["lint", "--strict", Repo.Chart, .. Chart.ValuesArgs(valuesSet)]);
    }

    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task Chart_renders_valid_objects_for_every_deployable(string valuesSet)
    {
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        foreach (var d in await Runner.DeployablesAsync())
        {
            foreach (var kind in new[] { "Deployment", "Service" })
            {
                if (manifests.Find(kind, d.Name) is null)
                {
                    failures.Add($"no {kind} named {d.Name}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{manifests.What}:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public async Task Engine_manifests_validate_against_the_operators_schemas_and_refer_to_each_other()
    {
        var engines = await EnginesAsync();
        var clusters = engines.OfKind("Cluster").Where(c => c.At("apiVersion").Str() == "postgresql.cnpg.io/v1").ToList();
        Assert.True(clusters.Count == 1, "k8s/: expected one CloudNativePG Cluster");
        var cluster = clusters[0].At("metadata", "name").Str();
        var failures = new List<string>();
        foreach (var kind in new[] { "Pooler", "ScheduledBackup" })
        {
            var refs = engines.OfKind(kind).Select(o => o.At("spec", "cluster", "name").Str()).ToList();
            if (refs.Count == 0 || refs.Any(r => r != cluster))
            {
                failures.Add($"{kind}: expected one or more, each for Cluster {cluster}; found [{string.Join(", ", refs)}]");
            }
        }
        if (engines.OfKind("Pooler").Any(p => p.At("spec", "pgbouncer", "poolMode").Str() != "session"))
        {
            failures.Add("Pooler: the outbox dispatcher LISTENs, which only session pooling carries");
        }
        if (!engines.OfKind("RabbitmqCluster").Any(r => r.At("apiVersion").Str() == "rabbitmq.com/v1beta1"))
        {
            failures.Add("no rabbitmq.com/v1beta1 RabbitmqCluster");
        }
        if (engines.Find("Namespace", "sip-platform") is null)
        {
            failures.Add("no Namespace sip-platform");
        }
        if (engines.OfKind("Deployment").Any() || engines.OfKind("Ingress").Any())
        {
            failures.Add("k8s/ repeats the chart (a Deployment or Ingress): the chart is the one definition");
        }
        Assert.True(failures.Count == 0, "k8s/:\n  " + string.Join("\n  ", failures));
    }

    [Theory]
    [InlineData("rabbitmq.yaml", "  replicas: 3", "  replica: 3")]                       // a misspelt field of the vendored CRD
    [InlineData("postgresql.yaml", "  instances: 3", "  instances: three")]               // a wrong type (CloudNativePG model)
    [InlineData("monitoring.yaml", "    - port: metrics", "    - port: [metrics]")]       // prometheus-operator model
    [InlineData("network-policies.yaml", "policyTypes: [Ingress, Egress]", "policyTypes: Ingress")] // kubernetes-models
    public async Task Schema_validation_rejects_a_broken_engine_manifest(string file, string from, string to)
    {
        await Tools.EnsureAsync();
        var text = File.ReadAllText(Path.Combine(Repo.Root, "k8s", file));
        Assert.Contains(from, text, StringComparison.Ordinal);
        var result = await Proc.RunAsync("node", [Path.Combine(Repo.Root, "tests", "deployment", "validate-k8s.mjs")],
            text.Replace(from, to, StringComparison.Ordinal), new Dictionary<string, string> { ["SIP_K8S_NODE_PATH"] = Repo.NodeModules });
        Assert.True(result.ExitCode == 1 && result.StdErr.Contains("INVALID", StringComparison.Ordinal), result.Describe($"validate-k8s.mjs on a broken k8s/{file}"));
    }

    [Fact]
    public async Task Restore_drill_validates_and_recovers_from_where_the_live_cluster_backs_up()
    {
        var live = (await EnginesAsync()).OfKind("Cluster").Single();
        var text = File.ReadAllText(Path.Combine(Repo.Root, "k8s", "drills", "sip-db-restore.yaml"));
        await Tools.ValidateAsync("k8s/drills/sip-db-restore.yaml", text);
        var drill = new Manifests("k8s/drills/sip-db-restore.yaml", text).OfKind("Cluster").Single();
        Assert.NotEqual(live.At("metadata", "name").Str(), drill.At("metadata", "name").Str());
        var source = drill.At("spec", "bootstrap", "recovery", "source").Str();
        var store = drill.At("spec", "externalClusters").List().Single(c => c.At("name").Str() == source).At("barmanObjectStore");
        foreach (var key in new[] { "destinationPath", "endpointURL" })
        {
            Assert.Equal(live.At("spec", "backup", "barmanObjectStore", key).Str(), store.At(key).Str());
        }
        var drillPods = new Dictionary<object, object> { ["cnpg.io/cluster"] = drill.At("metadata", "name").Str()! };
        Assert.Contains(new Manifests("drill", text).OfKind("NetworkPolicy"), p => Manifests.Selects(p.At("spec", "podSelector"), drillPods));
    }

    [Fact]
    public async Task Example_values_point_the_chart_at_the_engines_in_k8s()
    {
        var engines = await EnginesAsync();
        var cluster = engines.OfKind("Cluster").Single().At("metadata", "name").Str();
        var pooler = engines.OfKind("Pooler").Single().At("metadata", "name").Str();
        var rabbit = engines.OfKind("RabbitmqCluster").Single().At("metadata", "name").Str();
        var manifests = await Chart.RenderAsync("production.yaml");
        var failures = new List<string>();
        var service = Manifests.Env(Manifests.Container(manifests.Find("Deployment", "case")));
        var migrate = Manifests.Env(Manifests.Container(manifests.Find("Job", "case-migrate")));
        if (service.At("ConnectionStrings__Database").At("value").Str()?.Contains($"Host={pooler};", StringComparison.Ordinal) != true)
        {
            failures.Add($"case does not connect through the Pooler {pooler}");
        }
        if (migrate.At("ConnectionStrings__DatabaseAdmin").At("value").Str()?.Contains($"Host={cluster}-rw;", StringComparison.Ordinal) != true)
        {
            failures.Add($"case-migrate does not connect to the primary {cluster}-rw directly");
        }
        if (migrate.At("DatabaseAdmin__Password").At("valueFrom", "secretKeyRef", "name").Str() != $"{cluster}-superuser")
        {
            failures.Add($"case-migrate does not take the superuser from {cluster}-superuser");
        }
        if (service.At("RabbitMq__Host").At("value").Str() != rabbit
            || service.At("RabbitMq__Password").At("valueFrom", "secretKeyRef", "name").Str() != $"{rabbit}-default-user")
        {
            failures.Add($"case does not use RabbitmqCluster {rabbit} and its {rabbit}-default-user Secret");
        }
        Assert.True(failures.Count == 0, "k8s/values/production.yaml:\n  " + string.Join("\n  ", failures));
    }

    /// <summary>
    /// Through PgBouncer in session mode a pod's open connection holds one of the role's default_pool_size server
    /// connections: a deployable at its most replicas, each with a full pool, must not need more, or its pods wait.
    /// </summary>
    [Theory]
    [MemberData(nameof(Chart.ValuesSets), MemberType = typeof(Chart))]
    public async Task At_its_most_replicas_each_service_fits_its_pools_in_the_poolers_server_connections_per_role(string valuesSet)
    {
        var pooler = (await EnginesAsync()).OfKind("Pooler").Single();
        Assert.Equal("session", pooler.At("spec", "pgbouncer", "poolMode").Str());
        var perRole = int.Parse(pooler.At("spec", "pgbouncer", "parameters", "default_pool_size").Str()!, System.Globalization.CultureInfo.InvariantCulture);
        var manifests = await Chart.RenderAsync(valuesSet);
        var failures = new List<string>();
        foreach (var d in (await Runner.DeployablesAsync()).Where(d => d.IsService))
        {
            var connection = Manifests.Env(Manifests.Container(manifests.Find("Deployment", d.Name))).At("ConnectionStrings__Database").At("value").Str() ?? "";
            var named = System.Text.RegularExpressions.Regex.Match(connection, @"(?:^|;)Maximum Pool Size=(\d+)(?:;|$)");
            // Without one, Npgsql's default of 100 applies.
            var pool = named.Success ? int.Parse(named.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 100;
            var replicas = int.Parse(manifests.Find("HorizontalPodAutoscaler", d.Name).At("spec", "maxReplicas")!.ToString()!, System.Globalization.CultureInfo.InvariantCulture);
            if (replicas * pool > perRole)
            {
                failures.Add($"{d.Name}: {replicas} replicas × a pool of {pool} > the Pooler's {perRole} server connections per role ({connection})");
            }
        }
        Assert.True(failures.Count == 0, $"{valuesSet}:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public async Task Migrations_run_once_per_service_as_bounded_pre_install_and_pre_upgrade_hooks()
    {
        var manifests = await Chart.RenderAsync(Chart.Defaults);
        var failures = new List<string>();
        foreach (var d in (await Runner.DeployablesAsync()).Where(d => d.IsService))
        {
            var job = manifests.Find("Job", $"{d.Name}-migrate");
            if (job is null)
            {
                failures.Add($"no Job {d.Name}-migrate");
                continue;
            }
            var hooks = job.At("metadata", "annotations", "helm.sh/hook").Str() ?? "";
            if (!hooks.Contains("pre-install", StringComparison.Ordinal) || !hooks.Contains("pre-upgrade", StringComparison.Ordinal))
            {
                failures.Add($"{d.Name}-migrate: helm.sh/hook is '{hooks}', expected pre-install,pre-upgrade");
            }
            if (!Manifests.Container(job).At("args").List().Contains("migrate"))
            {
                failures.Add($"{d.Name}-migrate does not run `migrate`");
            }
            if (job.At("spec", "backoffLimit") is null || job.At("spec", "activeDeadlineSeconds") is null)
            {
                failures.Add($"{d.Name}-migrate: needs backoffLimit and activeDeadlineSeconds");
            }
            if (job.At("spec", "parallelism") is { } parallelism && parallelism.ToString() != "1")
            {
                failures.Add($"{d.Name}-migrate: parallelism {parallelism}");
            }
            if (job.At("spec", "template", "spec", "restartPolicy").Str() != "Never")
            {
                failures.Add($"{d.Name}-migrate: restartPolicy is not Never (a failed try would restart in place, unbounded by backoffLimit)");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Helm_values_set_registry_tag_replicas_authority_and_ingress_host()
    {
        var manifests = await Chart.RenderWithAsync(
            "--set", "image.registry=registry.test", "--set", "image.tag=9.9.9", "--set", "replicas=3",
            "--set", "auth.authority=https://idp.test/oidc", "--set", "ingress.host=sip.test");
        var consent = manifests.Find("Deployment", "consent");
        Assert.Equal("3", manifests.Find("HorizontalPodAutoscaler", "consent").At("spec", "minReplicas")?.ToString());
        Assert.Null(consent.At("spec", "replicas"));
        var container = Manifests.Container(consent);
        Assert.Equal("registry.test/sip-platform/consent:9.9.9", container.At("image").Str());
        Assert.Equal("https://idp.test/oidc", Manifests.Env(container).At("Auth__Authority").At("value").Str());
        Assert.All(manifests.OfKind("Ingress"), i => Assert.Equal("sip.test", i.At("spec", "rules").List().Single().At("host").Str()));

        var fixedSize = await Chart.RenderWithAsync("--set", "autoscaling.enabled=false", "--set", "replicas=3");
        Assert.Equal("3", fixedSize.Find("Deployment", "consent").At("spec", "replicas")?.ToString());
        Assert.Empty(fixedSize.OfKind("HorizontalPodAutoscaler"));
    }

    [Fact]
    public async Task The_gateways_admission_limit_comes_from_its_values_and_zero_turns_it_off()
    {
        static string? Limit(Manifests m) =>
            Manifests.Env(Manifests.Container(m.Find("Deployment", "gateway"))).At("Gateway__MaxConcurrentApiRequests").At("value").Str();

        Assert.Equal("64", Limit(await Chart.RenderAsync(Chart.Defaults)));
        Assert.Equal("0", Limit(await Chart.RenderWithAsync("--set", "gateway.maxConcurrentApiRequests=0")));
        Assert.Equal("200", Limit(await Chart.RenderWithAsync("--set", "gateway.maxConcurrentApiRequests=200")));
    }

    [Fact]
    public async Task Every_setting_the_runner_gives_a_deployable_is_in_its_Deployment()
    {
        // The chart and the local runner may differ in values (addresses, secrets), never in what a deployable is told.
        var developmentOnly = new HashSet<string> { "Auth__DevSigningKeyFile", "DevSignIn__DemoTenantFile" };
        var manifests = await Chart.RenderAsync(Chart.Defaults);
        var failures = new List<string>();
        foreach (var d in await Runner.DeployablesAsync())
        {
            var env = Manifests.Env(Manifests.Container(manifests.Find("Deployment", d.Name)));
            var missing = (await Runner.EnvKeysAsync(d.Name)).Where(k => !developmentOnly.Contains(k) && !env.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                failures.Add($"{d.Name} lacks {string.Join(", ", missing)}");
            }
        }
        Assert.True(failures.Count == 0, "helm template:\n  " + string.Join("\n  ", failures));
    }
}
