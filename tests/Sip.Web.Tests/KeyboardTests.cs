using Microsoft.Playwright;

namespace Sip.Web.Tests;

public sealed class KeyboardTests(WebAppFixture app) : AppPageTest(app)
{
    /// <summary>Presses Tab until the element has focus: fails if it cannot be reached by the keyboard.</summary>
    private async Task TabToAsync(ILocator target, int atMost = 40)
    {
        for (var i = 0; i < atMost; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                // Visible focus: the browser draws an outline on what the keyboard reached.
                var outline = await target.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");
                Assert.NotEqual("none", outline);
                return;
            }
        }
        Assert.Fail($"Tab did not reach {target} within {atMost} presses.");
    }

    [Fact]
    public async Task The_whole_acknowledge_flow_works_with_the_keyboard_alone()
    {
        await Page.GotoAsync("/");

        // The first stop on every page is the skip link.
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Hoppa till innehållet" })).ToBeFocusedAsync();

        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Logga in som Anna Lind, distriktssköterska" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Inkorg");

        await TabToAsync(Page.Locator($"a[href^='/moten/{Demo.MeetingForKeyboard}']"));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("SIP-möte (planering)");

        await TabToAsync(Page.Locator("#deltagare-0-namn"));
        await Page.Keyboard.TypeAsync("Kim Ek");
        await Page.Keyboard.PressAsync("Tab");
        await Expect(Page.Locator("#deltagare-0-roll")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("Kurator");
        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" }));
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Kallelsen är kvitterad");
        var post = Assert.Single(Gateway.CallsTo($"/api/v1/meetings/{Demo.MeetingForKeyboard}/summons/{Demo.S(3)}/acknowledge"));
        Assert.Equal("Kim Ek", post.Body!["attendees"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("InPerson", post.Body["attendees"]![0]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_inbox_longer_than_a_page_reaches_its_next_page_with_a_few_presses_of_Tab_not_one_per_row()
    {
        await SignInAsync("Sara Ek, kurator", from: "/");
        var rows = Page.GetByTestId("inkorg-rad");
        await Expect(rows).ToHaveCountAsync(100);
        // The page links come before the rows as well as after them: a keyboard user skips the 100 rows' links.
        var next = Page.GetByRole(AriaRole.Navigation, new() { Name = "Inkorgens sidor", Exact = true }).GetByRole(AriaRole.Link, new() { Name = "Nästa sida" });
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Inkorgens sidor, efter listan" })).ToContainTextAsync("Sida 1 av 2.");
        await TabToAsync(next, atMost: 20);
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.Locator(".sip-paging").First).ToContainTextAsync("Sida 2 av 2.");
        await Expect(rows).ToHaveCountAsync(Demo.PartilleItems - 100);
        await Expect(rows.First).ToContainTextAsync("SIP-2026-1101");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Nästa sida" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Föregående sida" })).ToHaveCountAsync(2);
    }
}
