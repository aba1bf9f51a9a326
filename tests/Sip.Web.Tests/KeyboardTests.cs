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
}
