using System.Diagnostics;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Sip.Deployment.Tests;

/// <summary>Where things are: the repository, the runner, the tool cache.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The local runner; <c>SIP_RUNNER</c> overrides <c>&lt;repo&gt;/sip</c>.</summary>
    public static string Runner => Environment.GetEnvironmentVariable("SIP_RUNNER") is { Length: > 0 } runner
        ? runner
        : Path.Combine(Root, "sip");

    public static string Cache => Environment.GetEnvironmentVariable("SIP_CACHE") is { Length: > 0 } cache
        ? cache
        : "/var/cache/sip-platform";

    /// <summary>Helm as tests/deployment/prepare-tools.sh installs it; <c>SIP_HELM</c> (which it prints) overrides.</summary>
    public static string Helm => Environment.GetEnvironmentVariable("SIP_HELM") is { Length: > 0 } helm
        ? helm
        : Path.Combine(Cache, "tools", "helm", "helm");

    /// <summary>The schema packages of validate-k8s.mjs; <c>SIP_K8S_NODE_PATH</c> (which prepare-tools.sh prints) overrides.</summary>
    public static string NodeModules => Environment.GetEnvironmentVariable("SIP_K8S_NODE_PATH") is { Length: > 0 } modules
        ? modules
        : Path.Combine(Cache, "tools", "k8s-schemas", "node_modules");

    public static string Chart => Path.Combine(Root, "charts", "sip-platform");

    /// <summary>The example values per environment.</summary>
    public static string ValuesDir => Path.Combine(Root, "k8s", "values");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "sip-platform.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No folder holding sip-platform.sln above {AppContext.BaseDirectory}");
    }
}

internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public string Describe(string what) =>
        $"{what} exited {ExitCode}\n--- stdout ---\n{Tail(StdOut)}\n--- stderr ---\n{Tail(StdErr)}";

    private static string Tail(string text) => text.Length > 6000 ? "…" + text[^6000..] : text;
}

internal static class Proc
{
    public static async Task<ProcessResult> RunAsync(
        string file, IEnumerable<string> args, string? stdin = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        if (env is not null)
        {
            foreach (var (key, value) in env)
            {
                info.Environment[key] = value;
            }
        }
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ProcessResult(-1, "", $"could not start {file}: {e.Message}");
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new ProcessResult(-1, await stdout, await stderr + $"\n(timed out after {timeout ?? TimeSpan.FromMinutes(3)})");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs and asserts exit code 0; returns stdout.</summary>
    public static async Task<string> CheckAsync(string what, string file, IEnumerable<string> args, string? stdin = null,
        IDictionary<string, string>? env = null)
    {
        var result = await RunAsync(file, args, stdin, env);
        Assert.True(result.ExitCode == 0, result.Describe(what));
        return result.StdOut;
    }
}

/// <summary>One deployable as <c>./sip services</c> lists it.</summary>
internal sealed record Deployable(string Name, string ProjectDir, int HttpPort, string GrpcPort, string Schema)
{
    public bool IsService => Schema != "-";
}

internal static class Runner
{
    private static readonly Lazy<Task<IReadOnlyList<Deployable>>> DeployablesOnce = new(LoadAsync);

    public static Task<IReadOnlyList<Deployable>> DeployablesAsync() => DeployablesOnce.Value;

    private static async Task<IReadOnlyList<Deployable>> LoadAsync()
    {
        var output = await Proc.CheckAsync("sip services", "bash", [Repo.Runner, "services"]);
        var list = new List<Deployable>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            Assert.True(f.Length == 5, $"`sip services` line is not 'name project_dir http_port grpc_port schema': {line}");
            list.Add(new Deployable(f[0], f[1], int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[3], f[4]));
        }
        Assert.True(list.Count > 0, "`sip services` listed no deployable");
        return list;
    }

    /// <summary>The keys of <c>./sip env NAME</c> (KEY=VALUE lines).</summary>
    public static async Task<IReadOnlyList<string>> EnvKeysAsync(string name)
    {
        var output = await Proc.CheckAsync($"sip env {name}", "bash", [Repo.Runner, "env", name]);
        var keys = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)[0].Trim())
            .Where(key => key.Length > 0)
            .ToList();
        Assert.True(keys.Count > 0, $"`sip env {name}` printed no KEY=VALUE line");
        return keys;
    }
}

/// <summary>Runs tests/deployment/prepare-tools.sh once per test run (it is idempotent and fast when done).</summary>
internal static class Tools
{
    private static readonly Lazy<Task> PrepareOnce = new(async () =>
        await Proc.CheckAsync("tests/deployment/prepare-tools.sh", "bash",
            [Path.Combine(Repo.Root, "tests", "deployment", "prepare-tools.sh")]));

    public static Task EnsureAsync() => PrepareOnce.Value;

    /// <summary>Pipes the manifests through validate-k8s.mjs and asserts every document is valid.</summary>
    public static async Task ValidateAsync(string what, string manifests)
    {
        await EnsureAsync();
        var result = await Proc.RunAsync("node", [Path.Combine(Repo.Root, "tests", "deployment", "validate-k8s.mjs")],
            manifests, new Dictionary<string, string> { ["SIP_K8S_NODE_PATH"] = Repo.NodeModules });
        Assert.True(result.ExitCode == 0, result.Describe($"validate-k8s.mjs on {what}"));
    }
}

internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every non-empty document of a (multi-document) YAML stream; anchors and merge keys resolved.</summary>
    public static List<Dictionary<object, object>> Documents(string text)
    {
        var parser = new MergingParser(new Parser(new StringReader(text)));
        parser.Consume<StreamStart>();
        var docs = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (Deserializer.Deserialize<object>(parser) is Dictionary<object, object> doc)
            {
                docs.Add(doc);
            }
        }
        return docs;
    }

    public static object? At(this object? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is Dictionary<object, object> map && map.TryGetValue(key, out var next) ? next : null;
        }
        return node;
    }

    public static Dictionary<object, object> Map(this object? node) => node as Dictionary<object, object> ?? [];

    public static List<object> List(this object? node) => node as List<object> ?? [];

    public static string? Str(this object? node) => node as string;
}

/// <summary>Kubernetes manifests rendered to documents, with the look-ups the tests need.</summary>
internal sealed class Manifests(string what, string text)
{
    public string What { get; } = what;

    public string Text { get; } = text;

    public List<Dictionary<object, object>> Docs { get; } = Yaml.Documents(text);

    public IEnumerable<Dictionary<object, object>> OfKind(string kind) => Docs.Where(d => d.At("kind").Str() == kind);

    public Dictionary<object, object>? Find(string kind, string name) =>
        OfKind(kind).FirstOrDefault(d => d.At("metadata", "name").Str() == name);

    /// <summary>The labels of a Deployment's pods.</summary>
    public static Dictionary<object, object> PodLabels(Dictionary<object, object> deployment) =>
        deployment.At("spec", "template", "metadata", "labels").Map();

    /// <summary>Whether a label selector (matchLabels only, as the chart writes them) selects pods with these labels.</summary>
    public static bool Selects(object? selector, Dictionary<object, object> labels)
    {
        if (selector is not Dictionary<object, object> map || map.ContainsKey("matchExpressions"))
        {
            return false;
        }
        return map.At("matchLabels").Map().All(l => labels.TryGetValue(l.Key, out var v) && Equals(v, l.Value));
    }

    /// <summary>Every container of every pod template (Deployments and Jobs), with the name of its owner.</summary>
    public IEnumerable<(string Owner, object Container)> Containers() =>
        Docs.Where(d => d.At("kind").Str() is "Deployment" or "Job")
            .SelectMany(d => d.At("spec", "template", "spec", "containers").List()
                .Select(c => ($"{d.At("kind").Str()}/{d.At("metadata", "name").Str()}", c)));

    /// <summary>A container's env as name → entry.</summary>
    public static Dictionary<object, object> Env(object container) =>
        container.At("env").List().Where(e => e.At("name").Str() is not null)
            .GroupBy(e => e.At("name").Str()!).ToDictionary(g => (object)g.Key, g => g.Last());

    /// <summary>A container's declared ports as name → containerPort (unnamed ones left out).</summary>
    public static Dictionary<string, string> ContainerPorts(object container) =>
        container.At("ports").List().Where(p => p.At("name").Str() is not null)
            .GroupBy(p => p.At("name").Str()!).ToDictionary(g => g.Key, g => g.Last().At("containerPort")?.ToString() ?? "");

    public static Dictionary<object, object> Container(Dictionary<object, object>? owner) =>
        owner.At("spec", "template", "spec", "containers").List().FirstOrDefault().Map();
}
