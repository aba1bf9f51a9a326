using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sip.Notification.Tests;

/// <summary>
/// The pages a link can open, read from the repository: the staff web app's <c>@page</c> routes, and the gateway's
/// anonymous routes to the web app (the gateway answers its own 401/404 for any other path).
/// </summary>
public static partial class WebPages
{
    private static readonly Lazy<(IReadOnlyList<string> Pages, IReadOnlyList<string> GatewayPaths)> Routes = new(Load);

    public static IReadOnlyList<string> Pages => Routes.Value.Pages;

    /// <summary>Whether a link's path is a page of the web app that the gateway routes to it; the page template that takes it, or null.</summary>
    public static string? PageFor(Uri link)
    {
        var path = link.AbsolutePath;
        var page = Routes.Value.Pages.FirstOrDefault(p => Matches(p, path));
        if (page is null)
        {
            return null;
        }
        var first = "/" + path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var routed = Routes.Value.GatewayPaths.Any(g => g.EndsWith("/{**rest}", StringComparison.Ordinal) ? first == g[..^"/{**rest}".Length] : g == path);
        return routed ? page : null;
    }

    /// <summary>A route template (literal segments, <c>{name}</c>, <c>{name:guid}</c>, <c>{name:int}</c>) against a path, as Blazor's router takes it.</summary>
    public static bool Matches(string template, string path)
    {
        var t = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var p = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (t.Length != p.Length)
        {
            return false;
        }
        for (var i = 0; i < t.Length; i++)
        {
            var segment = t[i];
            var ok = segment switch
            {
                _ when segment.StartsWith('{') && segment.EndsWith(":guid}", StringComparison.OrdinalIgnoreCase) => Guid.TryParse(p[i], out _),
                _ when segment.StartsWith('{') && segment.EndsWith(":int}", StringComparison.OrdinalIgnoreCase) => int.TryParse(p[i], out _),
                _ when segment.StartsWith('{') => true,
                _ => string.Equals(segment, p[i], StringComparison.OrdinalIgnoreCase),
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static (IReadOnlyList<string>, IReadOnlyList<string>) Load()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "sip-platform.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var pages = Directory.EnumerateFiles(Path.Combine(root.FullName, "services", "Sip.Web", "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(f => PageDirective().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToList();
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "gateway", "Sip.Gateway", "appsettings.json")));
        var gateway = settings.RootElement.GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject()
            .Select(r => r.Value)
            .Where(r => r.GetProperty("ClusterId").GetString() == "web" && r.TryGetProperty("AuthorizationPolicy", out var p) && p.GetString() == "anonymous")
            .Select(r => r.GetProperty("Match").GetProperty("Path").GetString()!)
            .ToList();
        return (pages, gateway);
    }

    [GeneratedRegex("""^@page\s+"([^"]+)"$""", RegexOptions.Multiline)]
    private static partial Regex PageDirective();
}
