using Microsoft.Playwright;

namespace Sip.EndToEnd.Tests.Browser;

/// <summary>The staff web app as the platform serves it: through the gateway, signed in with the demo users.</summary>
public sealed class WebAppTests : PlatformPageTest
{
    [Fact]
    public async Task A_page_asked_for_before_sign_in_opens_after_the_demo_user_signs_in_and_the_menu_leads_to_every_area()
    {
        var asked = $"/cases/{Guid.NewGuid()}";
        await Page.GotoAsync(asked);
        Assert.Contains("/inloggning/utveckling", Page.Url, StringComparison.Ordinal);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Logga in som Anna Lind, distriktssköterska" }).ClickAsync();

        Assert.Equal(asked, PathOf(Page.Url));
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Hittades inte");
        var menu = Page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        await Expect(menu.GetByRole(AriaRole.Link)).ToHaveTextAsync(["Inkorg", "Personer", "Utskrivning (LUS)", "SIP-kollen"]);
        await menu.GetByRole(AriaRole.Link, new() { Name = "Inkorg" }).ClickAsync();
        await Page.WaitForURLAsync(u => PathOf(u) == "/", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Inkorg");
        await AssertAccessibleAsync("Inkorg");
    }
}
