namespace Sip.Deployment.Tests;

/// <summary>k8s/ (kustomize) and charts/sip-platform (helm): render, validate against the schemas, cover every deployable.</summary>
public sealed class KubernetesTests
{
    private static async Task<Manifests> KustomizeAsync(string dir)
    {
        var text = await Proc.CheckAsync($"kubectl kustomize {dir}", "kubectl", ["kustomize", Path.Combine(Repo.Root, dir)]);
        await Tools.ValidateAsync(dir, text);
        return new Manifests(dir, text);
    }

    private static async Task<Manifests> HelmTemplateAsync(params string[] extra)
    {
        await Tools.EnsureAsync();
        var text = await Proc.CheckAsync("helm template", Repo.Helm,
            ["template", "sip", Path.Combine(Repo.Root, "charts", "sip-platform"), "--namespace", "sip-platform", .. extra]);
        await Tools.ValidateAsync("helm template", text);
        return new Manifests("helm template", text);
    }

    [Fact]
    public async Task Kustomize_base_renders_validates_and_covers_every_deployable()
    {
        var manifests = await KustomizeAsync("k8s/base");
        await manifests.AssertPlatformAsync(expectIngress: false);
    }

    [Fact]
    public async Task Kustomize_production_renders_validates_covers_every_deployable_and_exposes_the_gateway()
    {
        var manifests = await KustomizeAsync("k8s/overlays/production");
        await manifests.AssertPlatformAsync(expectIngress: true);
        var config = manifests.OfKind("ConfigMap").Select(c => c.At("data").Map()).FirstOrDefault(d => d.ContainsKey("Auth__Authority"));
        Assert.True(config?.At("Auth__Authority").Str()?.StartsWith("https://", StringComparison.Ordinal) == true,
            "production: no ConfigMap sets Auth__Authority to an https URL");
        Assert.Equal("Production", config?.At("ASPNETCORE_ENVIRONMENT").Str());
    }

    [Fact]
    public async Task Helm_lint_passes()
    {
        await Tools.EnsureAsync();
        await Proc.CheckAsync("helm lint", Repo.Helm, ["lint", "--strict", Path.Combine(Repo.Root, "charts", "sip-platform")]);
    }

    [Fact]
    public async Task Helm_template_renders_validates_and_runs_migrations_as_pre_install_and_pre_upgrade_hooks()
    {
        var manifests = await HelmTemplateAsync();
        await manifests.AssertPlatformAsync(expectIngress: true);
        var failures = new List<string>();
        foreach (var d in (await Runner.DeployablesAsync()).Where(d => d.IsService))
        {
            var hooks = manifests.Find("Job", $"{d.Name}-migrate").At("metadata", "annotations", "helm.sh/hook").Str() ?? "";
            if (!hooks.Contains("pre-install", StringComparison.Ordinal) || !hooks.Contains("pre-upgrade", StringComparison.Ordinal))
            {
                failures.Add($"Job {d.Name}-migrate: helm.sh/hook is '{hooks}', expected pre-install,pre-upgrade");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Helm_values_set_registry_tag_replicas_authority_and_ingress_host()
    {
        var manifests = await HelmTemplateAsync(
            "--set", "image.registry=registry.test", "--set", "image.tag=9.9.9", "--set", "replicas=3",
            "--set", "auth.authority=https://idp.test/oidc", "--set", "ingress.host=sip.test");
        var consent = manifests.Find("Deployment", "consent");
        Assert.Equal("3", consent.At("spec", "replicas")?.ToString());
        var container = consent.At("spec", "template", "spec", "containers").List().Single();
        Assert.Equal("registry.test/sip-platform/consent:9.9.9", container.At("image").Str());
        Assert.Contains(container.At("env").List(),
            e => e.At("name").Str() == "Auth__Authority" && e.At("value").Str() == "https://idp.test/oidc");
        Assert.Equal("sip.test", manifests.OfKind("Ingress").Single().At("spec", "rules").List().Single().At("host").Str());
    }
}
