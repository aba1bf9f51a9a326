using Microsoft.Playwright;

namespace Sip.Web.Tests;

public sealed class SignInAndInboxTests(WebAppFixture app) : AppPageTest(app)
{
    [Fact]
    public async Task Signing_in_as_a_demo_user_returns_to_the_inbox_with_overdue_items_first()
    {
        await Page.GotoAsync("/");
        Assert.StartsWith("/inloggning/utveckling?returnUrl=%2F", Path(Page.Url));

        await SignInAsync("Anna Lind, distriktssköterska");

        Assert.Equal("/", Path(Page.Url));
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Inkorg");
        await Expect(Page.Locator("main .sip-lead")).ToContainTextAsync("Vårdcentralen Norrby");
        var rows = Page.GetByTestId("inkorg-rad");
        await Expect(rows).ToHaveCountAsync(7);
        var what = await rows.Locator("td:first-child a").AllInnerTextsAsync();
        Assert.Equal(
        [
            "Kallelse att besvara",   // overdue 3 days (meeting-scheduling)
            "Plan att signera",        // overdue 1 day (case)
            "Kallelse att besvara",   // due in 1 day
            "Initiativ att besvara",  // due in 2 days
            "Kallelse att besvara",   // due in 4 days
            "Kallelse att besvara",   // due in 5 days
            "Meddelande att kvittera", // no deadline
        ], what);
        await Expect(rows.Nth(0)).ToContainTextAsync("Försenad");
        await Expect(rows.Nth(1)).ToContainTextAsync("Försenad");
        await Expect(rows.Nth(2)).Not.ToContainTextAsync("Försenad");
        // Each item links to where its work is done, as the unit it is in the inbox of.
        await Expect(rows.Nth(0).Locator("a")).ToHaveAttributeAsync("href", $"/moten/{Demo.MeetingToAcknowledge}?enhet={Demo.Norrby}");
        await Expect(rows.Nth(1).Locator("a")).ToHaveAttributeAsync("href", $"/cases/{Demo.Case3}/plans/1?enhet={Demo.Norrby}");
        await Expect(rows.Nth(3).Locator("a")).ToHaveAttributeAsync("href", $"/cases/{Demo.Case1}?enhet={Demo.Norrby}#initiativ");
        // The header names who is signed in; a person with one unit gets no switcher.
        await Expect(Page.Locator("header")).ToContainTextAsync("Anna Lind, distriktssköterska");
        await Expect(Page.Locator("header select")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Staff_of_several_units_switch_unit_and_see_that_units_inbox()
    {
        await SignInAsync("Ulla Holm, enhetschef", from: "/");
        await Expect(Page.Locator("main .sip-lead")).ToContainTextAsync("Socialtjänsten Mölndal, mottagning vuxen");
        await Expect(Page.GetByTestId("inkorg-rad")).ToHaveCountAsync(1);

        await Page.GetByLabel("Enhet", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Hemtjänsten Mölndal" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Byt enhet" }).ClickAsync();

        await Expect(Page.Locator("main .sip-lead")).ToContainTextAsync("Hemtjänsten Mölndal");
        var rows = Page.GetByTestId("inkorg-rad");
        Assert.Equal(["Kallelse att besvara", "Kallelse att besvara", "Uppföljning att hålla"], await rows.Locator("td:first-child a").AllInnerTextsAsync());
        await Expect(rows.Nth(0)).ToContainTextAsync("Försenad");
        // The choice is remembered on the next visit.
        await Page.GotoAsync("/");
        await Expect(Page.Locator("main .sip-lead")).ToContainTextAsync("Hemtjänsten Mölndal");
    }

    [Fact]
    public async Task A_link_from_an_email_opens_the_meeting_after_sign_in()
    {
        await Page.GotoAsync($"/moten/{Demo.MeetingConvenedByNorrby}");
        Assert.Contains("/inloggning/utveckling", Page.Url);

        await SignInAsync("Anna Lind, distriktssköterska");

        Assert.Equal($"/moten/{Demo.MeetingConvenedByNorrby}", Path(Page.Url));
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("SIP-möte (planering)");
        await Expect(Page.Locator("main")).ToContainTextAsync("måndag 14 december 2026 kl. 13.00–14.30");
        // Anna's unit convened it: nothing to answer.
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_older_case_link_opens_the_case_after_sign_in()
    {
        await Page.GotoAsync($"/cases/{Demo.Case1}");
        await SignInAsync("Anna Lind, distriktssköterska");

        Assert.Equal($"/cases/{Demo.Case1}", Path(Page.Url));
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ärende SIP-2026-0001");
        await Expect(Page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "SIP-möte (planering), måndag 14 december 2026 kl. 13.00–14.30" }).First)
            .ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_return_address_off_the_site_is_not_followed_after_sign_in()
    {
        await Page.GotoAsync("/inloggning/utveckling?returnUrl=%2F%2Fevil.example%2F");
        await SignInAsync("Anna Lind, distriktssköterska");
        Assert.Equal(new Uri(App.BaseUrl).Authority, new Uri(Page.Url).Authority);
        Assert.Equal("/", Path(Page.Url));
    }
}
