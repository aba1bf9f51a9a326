namespace Sip.Deployment.Tests;

/// <summary>docker-compose.yml against the local runner's contract (<c>./sip services</c>, <c>./sip env</c>).</summary>
public sealed class ComposeTests
{
    private static readonly Lazy<Dictionary<object, object>> Compose = new(() =>
        Yaml.Documents(File.ReadAllText(Path.Combine(Repo.Root, "docker-compose.yml"))).Single());

    private static Dictionary<object, object> Services => Compose.Value.At("services").Map();

    private static HashSet<string> EnvironmentKeys(object? service)
    {
        var env = service.At("environment");
        if (env is Dictionary<object, object> map)
        {
            return map.Keys.Select(k => k.ToString()!).ToHashSet();
        }
        // The list form: "KEY=VALUE" or "KEY".
        return env.List().Select(e => e.ToString()!.Split('=', 2)[0]).ToHashSet();
    }

    [Fact]
    public async Task Every_deployable_has_a_compose_service_with_every_key_the_runner_sets()
    {
        var failures = new List<string>();
        foreach (var d in await Runner.DeployablesAsync())
        {
            if (!Services.TryGetValue(d.Name, out var service))
            {
                failures.Add($"no compose service named {d.Name}");
                continue;
            }
            var keys = EnvironmentKeys(service);
            // Every key, Kestrel__ ones included: the compose values differ (0.0.0.0:8080), the keys must not.
            var missing = (await Runner.EnvKeysAsync(d.Name)).Where(k => !keys.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                failures.Add($"{d.Name} lacks {string.Join(", ", missing)}");
            }
        }
        Assert.True(failures.Count == 0, "docker-compose.yml:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public async Task Every_service_with_a_schema_has_a_migrate_one_shot_that_it_waits_for()
    {
        var failures = new List<string>();
        foreach (var d in (await Runner.DeployablesAsync()).Where(d => d.IsService))
        {
            var name = $"{d.Name}-migrate";
            if (!Services.TryGetValue(name, out var migrate))
            {
                failures.Add($"no compose service {name}");
                continue;
            }
            var command = migrate.At("command") is string s ? [s] : migrate.At("command").List().Select(c => c.ToString()).ToList();
            if (!command.Contains("migrate"))
            {
                failures.Add($"{name}: command is not `migrate`");
            }
            var keys = EnvironmentKeys(migrate);
            foreach (var key in new[] { "ConnectionStrings__DatabaseAdmin", "ConnectionStrings__Database" })
            {
                if (!keys.Contains(key))
                {
                    failures.Add($"{name}: no {key}");
                }
            }
            if (migrate.At("image").Str() != Services[d.Name].At("image").Str())
            {
                failures.Add($"{name}: not the same image as {d.Name}");
            }
            if (Services[d.Name].At("depends_on", name, "condition").Str() != "service_completed_successfully")
            {
                failures.Add($"{d.Name}: does not depend on {name} with condition service_completed_successfully");
            }
        }
        Assert.True(failures.Count == 0, "docker-compose.yml:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public void Published_ports_are_bound_to_loopback_and_no_container_points_at_loopback()
    {
        var failures = new List<string>();
        foreach (var (name, service) in Services)
        {
            foreach (var port in service.At("ports").List())
            {
                if (port is not string p || !p.StartsWith("127.0.0.1:", StringComparison.Ordinal))
                {
                    failures.Add($"{name}: port {port} is not bound to 127.0.0.1");
                }
            }
            if (service.At("environment") is Dictionary<object, object> env)
            {
                failures.AddRange(env.Where(e => e.Value?.ToString()?.Contains("127.0.0.1", StringComparison.Ordinal) == true)
                    .Select(e => $"{name}: {e.Key} points at 127.0.0.1 (inside a container that is the container itself)"));
            }
        }
        Assert.True(failures.Count == 0, "docker-compose.yml:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public async Task Compose_builds_each_deployable_from_its_Dockerfile_with_official_base_image_defaults()
    {
        var failures = new List<string>();
        foreach (var d in await Runner.DeployablesAsync())
        {
            var build = Services.TryGetValue(d.Name, out var service) ? service.At("build") : null;
            var dockerfile = build.At("dockerfile").Str();
            if (dockerfile != $"{d.ProjectDir}/Dockerfile" || !File.Exists(Path.Combine(Repo.Root, d.ProjectDir, "Dockerfile")))
            {
                failures.Add($"{d.Name}: build.dockerfile is {dockerfile ?? "missing"}, expected an existing {d.ProjectDir}/Dockerfile");
            }
            var args = build.At("args").Map();
            if (args.At("SDK_IMAGE").Str()?.Contains("mcr.microsoft.com/dotnet/sdk:10.0", StringComparison.Ordinal) != true
                || args.At("RUNTIME_IMAGE").Str()?.Contains("mcr.microsoft.com/dotnet/aspnet:10.0", StringComparison.Ordinal) != true)
            {
                failures.Add($"{d.Name}: build args SDK_IMAGE / RUNTIME_IMAGE lack the official defaults");
            }
        }
        Assert.True(failures.Count == 0, "docker-compose.yml:\n  " + string.Join("\n  ", failures));
    }

    [Fact]
    public async Task Docker_compose_config_accepts_the_file()
    {
        var result = await Proc.RunAsync("docker-compose", ["-f", Path.Combine(Repo.Root, "docker-compose.yml"), "config", "-q"]);
        Assert.True(result.ExitCode == 0, result.Describe("docker-compose config -q"));
    }
}
