using System.Collections.Concurrent;

namespace Sip.Deployment.Tests;

/// <summary>
/// charts/sip-platform rendered by <c>helm template</c> with a set of values files from k8s/values, each render
/// validated against the schemas once (tests/deployment/validate-k8s.mjs) and shared by the tests that read it.
/// </summary>
internal static class Chart
{
    public const string Defaults = "(chart defaults)";

    private static readonly ConcurrentDictionary<string, Lazy<Task<Manifests>>> Renders = new();

    /// <summary>
    /// The values an SRE would deploy with: the chart's defaults, each file in k8s/values alone, and large-region
    /// layered on production as its header says. A set is the files' names joined by '+'.
    /// </summary>
    public static TheoryData<string> ValuesSets()
    {
        var files = Directory.GetFiles(Repo.ValuesDir, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var sets = new TheoryData<string> { Defaults };
        foreach (var file in files)
        {
            sets.Add(file!);
        }
        if (files.Contains("production.yaml") && files.Contains("large-region.yaml"))
        {
            sets.Add("production.yaml+large-region.yaml");
        }
        return sets;
    }

    public static Task<Manifests> RenderAsync(string valuesSet) =>
        Renders.GetOrAdd(valuesSet, set => new Lazy<Task<Manifests>>(() => TemplateAsync(set, ValuesArgs(set)))).Value;

    /// <summary>A render with extra arguments (--set …); not shared.</summary>
    public static Task<Manifests> RenderWithAsync(params string[] extra) => TemplateAsync("helm template " + string.Join(' ', extra), extra);

    public static IEnumerable<string> ValuesArgs(string set) => set == Defaults
        ? []
        : set.Split('+').SelectMany(file => new[] { "-f", Path.Combine(Repo.ValuesDir, file) });

    private static async Task<Manifests> TemplateAsync(string what, IEnumerable<string> extra)
    {
        await Tools.EnsureAsync();
        var text = await Proc.CheckAsync($"helm template ({what})", Repo.Helm,
            ["template", "sip", Repo.Chart, "--namespace", "sip-platform", .. extra]);
        await Tools.ValidateAsync($"helm template ({what})", text);
        return new Manifests(what, text);
    }
}
