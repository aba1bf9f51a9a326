using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using System.Text.Json;
using Microsoft.Playwright;
using Microsoft.Playwright.Xunit.v3;

namespace Sip.EndToEnd.Tests.Browser;

/// <summary>
/// The staff web app of the running platform in Debian's chromium, reached through the gateway as staff reach it (or at
/// SIP_WEB_URL, an app started on its own against the same gateway); Swedish locale and time zone, as staff have them.
/// Each test gets a fresh browser context: signed out, no cookies.
/// </summary>
public abstract class PlatformPageTest : PageTest
{
    public static readonly string WebUrl = (Environment.GetEnvironmentVariable("SIP_WEB_URL") is { Length: > 0 } web ? web : Platform.Gateway.ToString()).TrimEnd('/');

    // How long an expectation waits for the page to get there (Playwright's default is 5 s): the first form a test sends
    // after ./sip up goes through the web app, the gateway, case and consent on paths none of them has compiled yet, on
    // 2 cores shared with the browser and the test runner (opening a case with the keyboard, the first test of a run, once
    // took longer than 5 s). A wait, not a measure of speed: a page that never gets there still fails.
    static PlatformPageTest() => SetDefaultExpectTimeout(15_000);

    public override Task<BrowserTypeLaunchOptions?> LaunchOptionsAsync() => Task.FromResult<BrowserTypeLaunchOptions?>(new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium",
        Args = ["--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });

    public override BrowserNewContextOptions ContextOptions() => new()
    {
        BaseURL = WebUrl,
        Locale = "sv-SE",
        TimezoneId = "Europe/Stockholm",
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await WatchContentSecurityPolicyAsync(Context);
    }

    /// <summary>Every page of the context keeps what the app's Content-Security-Policy blocked; <see cref="AssertAccessibleAsync"/> asserts it is nothing.</summary>
    private static Task WatchContentSecurityPolicyAsync(IBrowserContext context) => context.AddInitScriptAsync("""
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
        """);

    /// <summary>Signs in on the app's development page as a demo user (anna, erik, sara, ulla), then opens <paramref name="path"/>.</summary>
    protected async Task SignInAsync(string user, string path = "/")
    {
        var name = Platform.Tenant.Staff.Single(s => s.User == user).Name;
        await Page.GotoAsync($"/inloggning/utveckling?returnUrl={Uri.EscapeDataString(path)}");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Logga in som {name}" }).ClickAsync();
        await Expect(Page.Locator("main h1")).Not.ToHaveTextAsync("Logga in (utvecklingsmiljö)");
    }

    /// <summary>Another person at the same time: a page of its own browser context (own cookies), signed in as <paramref name="user"/>.</summary>
    protected async Task<IPage> SecondUserAsync(string user, string path = "/")
    {
        var context = await Browser.NewContextAsync(ContextOptions());
        await WatchContentSecurityPolicyAsync(context);
        var page = await context.NewPageAsync();
        var name = Platform.Tenant.Staff.Single(s => s.User == user).Name;
        await page.GotoAsync($"/inloggning/utveckling?returnUrl={Uri.EscapeDataString(path)}");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Logga in som {name}" }).ClickAsync();
        await Expect(page.Locator("main h1")).Not.ToHaveTextAsync("Logga in (utvecklingsmiljö)");
        return page;
    }

    protected static string PathOf(string url) => new Uri(url).PathAndQuery;

    /// <summary>With SIP_WEB_SCREENSHOTS=DIR, a full-page picture of what the test sees (docs/ and review by eye).</summary>
    protected async Task ScreenshotAsync(string name, IPage? page = null)
    {
        if (Environment.GetEnvironmentVariable("SIP_WEB_SCREENSHOTS") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await (page ?? Page).ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = true });
        }
    }

    /// <summary>Runs axe for WCAG 2.1 A and AA on the page as it is and asserts no violation, naming each one found; and that the Content-Security-Policy blocked nothing on it.</summary>
    protected async Task AssertAccessibleAsync(string what, IPage? page = null)
    {
        // Enhanced navigation reuses elements, so a button that was secondary on the last page may still be fading to
        // its primary colour (FKUI transitions background-color over 350 ms): check the page as it settles, not mid-fade.
        await (page ?? Page).EvaluateAsync("() => Promise.all(document.getAnimations().filter(a => a.effect?.getComputedTiming().endTime !== Infinity).map(a => a.finished.catch(() => null)))");
        await ScreenshotAsync(string.Concat(what.Select(c => char.IsLetterOrDigit(c) ? c : '-')), page);
        var result = await (page ?? Page).RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        var blocked = await (page ?? Page).EvaluateAsync<string[]>("() => window.__cspViolations ?? []");
        Assert.True(blocked.Length == 0, $"{what}: the Content-Security-Policy blocked: {string.Join(", ", blocked)}");
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}").ToList();
        Assert.True(violations.Count == 0, $"{what}: {violations.Count} WCAG 2.1 A/AA violation(s):\n" + string.Join("\n", violations));
    }

    /// <summary>
    /// The inbox row about <paramref name="reference"/> whose link reads <paramref name="what"/>, looked for as a person
    /// does: on the inbox's first page (opened if the page is not on it), then "Nästa sida" (with the keyboard when <paramref name="keyboard"/>) until a
    /// page has it; null when none does. A unit's inbox holds 100 items a page, and the suite's units collect many.
    /// </summary>
    protected async Task<ILocator?> FindInInboxAsync(IPage page, string reference, string what, bool keyboard = false)
    {
        if (new Uri(page.Url).AbsolutePath != "/" || page.Url.Contains("sida=", StringComparison.Ordinal))
        {
            await page.GotoAsync("/");
        }
        await Expect(page.Locator("main h1")).ToHaveTextAsync("Inkorg");
        for (var pages = 0; pages < 50; pages++)
        {
            var link = page.GetByTestId("inkorg-rad").Filter(new() { HasText = reference }).GetByRole(AriaRole.Link, new() { Name = what });
            if (await link.CountAsync() > 0)
            {
                return link;
            }
            // The page links above the rows: the ones a person (and the keyboard) meets first.
            var next = page.GetByRole(AriaRole.Link, new() { Name = "Nästa sida" }).First;
            if (await next.CountAsync() == 0)
            {
                return null;
            }
            if (keyboard)
            {
                await TabToAsync(next, page);
                await page.Keyboard.PressAsync("Enter");
            }
            else
            {
                await next.ClickAsync();
            }
            // Enhanced navigation swaps the page without a load event: wait for the next page's own words.
            await Expect(page.Locator(".sip-paging").First).ToContainTextAsync($"Sida {pages + 2} av");
        }
        return null;
    }

    /// <summary><see cref="FindInInboxAsync"/>, failing the test when no page of the inbox has the row.</summary>
    protected async Task<ILocator> InboxLinkAsync(IPage page, string reference, string what, bool keyboard = false) =>
        await FindInInboxAsync(page, reference, what, keyboard) ?? throw new Xunit.Sdk.XunitException($"No page of the inbox has \"{what}\" for {reference}.");

    /// <summary>
    /// Presses Tab (Shift+Tab with <paramref name="backwards"/>) until <paramref name="target"/> has the focus (none if it has it already), asserting at every
    /// stop that the focused control shows it: an outline or a box shadow, its own, its ::before or its label's (FKUI draws
    /// checkboxes and radio buttons on the label).
    /// </summary>
    protected async Task TabToAsync(ILocator target, IPage? page = null, bool backwards = false, int atMost = 80)
    {
        page ??= Page;
        for (var i = 0; i <= atMost; i++)
        {
            if (i > 0)
            {
                await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            }
            var focused = await page.EvaluateAsync<JsonElement>(FocusShownScript);
            var onTarget = await target.EvaluateAsync<bool>("e => e === document.activeElement");
            if ((i > 0 || onTarget) && focused.GetProperty("tag").GetString() is not ("BODY" or "MAIN" or "H1" or ""))
            {
                Assert.True(focused.GetProperty("shown").GetBoolean(), $"no visible focus on {focused.GetProperty("what").GetString()}");
            }
            if (onTarget)
            {
                return;
            }
        }
        Assert.Fail($"{target} not reached with {atMost} presses of {(backwards ? "Shift+Tab" : "Tab")}");
    }

    private const string FocusShownScript = """
        (() => {
            const e = document.activeElement;
            if (!e) return { tag: '', shown: false, what: '' };
            const visible = el => { if (!el) return false; const s = getComputedStyle(el); const b = getComputedStyle(el, '::before');
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
                    || (b.outlineStyle !== 'none' && parseFloat(b.outlineWidth) > 0) || b.boxShadow !== 'none'; };
            const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
            return { tag: e.tagName, shown: visible(e) || visible(label), what: e.outerHTML.slice(0, 200) };
        })()
        """;
}
