using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Microsoft.Playwright.Xunit.v3;

namespace Sip.Web.Tests;

/// <summary>A page in Debian's chromium against the published app; Swedish locale and time zone, as staff have them.</summary>
public abstract class AppPageTest(WebAppFixture app) : PageTest
{
    protected WebAppFixture App { get; } = app;

    protected StandInGateway Gateway => App.Gateway;

    public override Task<BrowserTypeLaunchOptions?> LaunchOptionsAsync() => Task.FromResult<BrowserTypeLaunchOptions?>(new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
        Args = ["--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });

    public override BrowserNewContextOptions ContextOptions() => new()
    {
        BaseURL = App.BaseUrl,
        Locale = "sv-SE",
        TimezoneId = "Europe/Stockholm",
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // What the app's Content-Security-Policy blocks on any page is kept; AssertAccessibleAsync asserts it is nothing.
        await Context.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
            """);
    }

    /// <summary>Signs in on the development page the app sent us to (or opens it), as the demo user with this display name.</summary>
    protected async Task SignInAsync(string displayName, string? from = null)
    {
        if (from is not null)
        {
            await Page.GotoAsync(from);
        }
        if (!Page.Url.Contains("/inloggning/utveckling", StringComparison.Ordinal))
        {
            await Page.GotoAsync("/inloggning/utveckling");
        }
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Logga in som {displayName}" }).ClickAsync();
        await Expect(Page.Locator("main h1")).Not.ToHaveTextAsync("Logga in (utvecklingsmiljö)");
    }

    protected static string Path(string url) => new Uri(url).PathAndQuery;

    /// <summary>With SIP_WEB_SCREENSHOTS=DIR, a full-page picture of what the test sees (for docs/ and for reviewing by eye).</summary>
    protected async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("SIP_WEB_SCREENSHOTS") is { Length: > 0 } dir)
        {
            await Page.ScreenshotAsync(new() { Path = System.IO.Path.Combine(dir, name + ".png"), FullPage = true });
        }
    }

    /// <summary>Runs axe for WCAG 2.1 A and AA and asserts no violation, naming each one found; and that the Content-Security-Policy blocked nothing.</summary>
    protected async Task AssertAccessibleAsync(string what)
    {
        var blocked = await Page.EvaluateAsync<string[]>("() => window.__cspViolations ?? []");
        Assert.True(blocked.Length == 0, $"{what}: the Content-Security-Policy blocked: {string.Join(", ", blocked)}");
        await ScreenshotAsync(string.Concat(what.Select(c => char.IsLetterOrDigit(c) ? c : '-')));
        var result = await Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(violations.Count == 0, $"{what}: {violations.Count} WCAG 2.1 A/AA violation(s):\n" + string.Join("\n", violations));
    }
}
