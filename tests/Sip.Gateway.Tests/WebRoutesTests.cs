using System.Text.Json;
using System.Text.RegularExpressions;

namespace Sip.Gateway.Tests;

/// <summary>
/// Every page of the staff web app is reached through the gateway: a page whose path the gateway does not route to the
/// app anonymously (the app signs people in itself) answers the gateway's 401 instead of the page.
/// </summary>
public sealed partial class WebRoutesTests
{
    [Fact]
    public void Every_page_of_the_web_app_has_an_anonymous_gateway_route_to_the_app()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "sip-platform.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(root.FullName, "gateway", "Sip.Gateway", "appsettings.json")));
        var webPaths = settings.RootElement.GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject()
            .Select(r => r.Value)
            .Where(r => r.GetProperty("ClusterId").GetString() == "web" && r.TryGetProperty("AuthorizationPolicy", out var p) && p.GetString() == "anonymous")
            .Select(r => r.GetProperty("Match").GetProperty("Path").GetString()!)
            .ToList();
        var pages = Directory.EnumerateFiles(Path.Combine(root.FullName, "services", "Sip.Web", "Components"), "*.razor", SearchOption.AllDirectories)
            .SelectMany(f => PageDirective().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToList();
        Assert.NotEmpty(pages);

        var unrouted = pages.Where(page => !webPaths.Any(path => Routes(path, page))).ToList();

        Assert.True(unrouted.Count == 0, "pages without an anonymous gateway route to the web app: " + string.Join(", ", unrouted));
    }

    /// <summary>Whether a gateway route path (exact, or with a trailing catch-all) takes a page's route template.</summary>
    private static bool Routes(string path, string page)
    {
        var segment = "/" + page.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return path.EndsWith("/{**rest}", StringComparison.Ordinal)
            ? segment == path[..^"/{**rest}".Length]
            : page == path;
    }

    [GeneratedRegex("""^@page\s+"([^"]+)"$""", RegexOptions.Multiline)]
    private static partial Regex PageDirective();
}
