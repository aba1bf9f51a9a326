using Microsoft.Playwright;

namespace Sip.Web.Tests;

/// <summary>Every page, in the states a person meets it in, against axe's WCAG 2.1 A and AA rules.</summary>
public sealed class AccessibilityTests(WebAppFixture app) : AppPageTest(app)
{
    [Fact]
    public async Task Every_page_has_no_WCAG_2_1_A_or_AA_violations()
    {
        var first = await Page.GotoAsync("/");
        // Scripts and styles from the app alone, nothing framed: and nothing on these pages needs more (checked on each).
        var policy = first!.Headers["content-security-policy"];
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        await AssertAccessibleAsync("the development sign-in page");

        await SignInAsync("Ulla Holm, enhetschef");
        await AssertAccessibleAsync("the inbox with the unit switcher");

        await Page.GotoAsync($"/moten/{Demo.MeetingForHemtjansten}?enhet={Demo.Hemtjansten}");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" })).ToBeVisibleAsync();
        await AssertAccessibleAsync("a meeting with a summons to answer");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" }).ClickAsync();
        await Expect(Page.Locator("#deltagare-fel")).ToBeVisibleAsync();
        await AssertAccessibleAsync("a meeting with the service's problem next to the field");

        await Page.GetByLabel("Anledning").FillAsync("Fel enhet");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avböj kallelsen" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avböj kallelsen" })).ToBeVisibleAsync();
        await AssertAccessibleAsync("the confirmation before declining");

        await Page.GotoAsync($"/cases/{Demo.Case5}?enhet={Demo.Hemtjansten}");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ärende SIP-2026-0005");
        await AssertAccessibleAsync("a case");

        var notFound = await Page.GotoAsync("/finns-inte");
        Assert.Equal(404, notFound!.Status);
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Sidan hittades inte");
        await AssertAccessibleAsync("the not-found page");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Du är utloggad");
        await AssertAccessibleAsync("the signed-out page");
    }

    [Fact]
    public async Task Pages_reflow_on_a_narrow_screen_without_sideways_scrolling()
    {
        await Page.SetViewportSizeAsync(320, 800);
        await SignInAsync("Ulla Holm, enhetschef", from: $"/moten/{Demo.MeetingForHemtjansten}?enhet={Demo.Hemtjansten}");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" })).ToBeVisibleAsync();
        // WCAG 1.4.10: at 320 CSS px (1280 px at 400 %) nothing but data tables may need horizontal scrolling.
        await ScreenshotAsync("narrow-meeting");
        var overflow = await Page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        var wide = await Page.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth && !e.parentElement.closest('.table__scroll'))
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.') + ' ' + Math.round(e.getBoundingClientRect().right))
            """);
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than the screen: {string.Join(", ", wide)}");
    }
}
