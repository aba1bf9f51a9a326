using Microsoft.Playwright;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Tests;

public sealed class SummonsAnswerTests(WebAppFixture app) : AppPageTest(app)
{
    [Fact]
    public async Task Acknowledging_a_summons_posts_the_attendees_with_the_users_token_and_never_shows_the_token()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/moten/{Demo.MeetingToAcknowledge}");
        var pages = new List<string> { await Page.ContentAsync() };

        await Page.GetByLabel("Namn", new() { Exact = true }).FillAsync("Kim Ek");
        await Page.GetByLabel("Roll (frivillig)").FillAsync("Kurator");
        await Page.GetByLabel("Deltar", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Video" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lägg till deltagare" }).ClickAsync();
        // A second row, and the first kept what was typed.
        await Expect(Page.Locator("#deltagare-0-namn")).ToHaveValueAsync("Kim Ek");
        await Expect(Page.Locator("#deltagare-0-satt")).ToHaveValueAsync("Video");
        await Page.Locator("#deltagare-1-namn").FillAsync("Lo Berg");
        pages.Add(await Page.ContentAsync());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Kallelsen är kvitterad");
        var ours = Page.GetByTestId("kallelse").Filter(new() { HasText = "Vårdcentralen Norrby" });
        await Expect(ours).ToContainTextAsync("Kvitterad");
        await Expect(ours).ToContainTextAsync("Kim Ek, Kurator (video)");
        await Expect(ours).ToContainTextAsync("Lo Berg (på plats)");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" })).ToHaveCountAsync(0);
        pages.Add(await Page.ContentAsync());

        var post = Assert.Single(Gateway.CallsTo($"/api/v1/meetings/{Demo.MeetingToAcknowledge}/summons/{Demo.S(1)}/acknowledge"));
        Assert.Equal(Demo.Norrby.ToString(), post.Body!["unitId"]!.GetValue<string>());
        var attendees = post.Body["attendees"]!.AsArray();
        Assert.Equal(2, attendees.Count);
        Assert.Equal(("Kim Ek", "Video", "Kurator"), (attendees[0]!["name"]!.GetValue<string>(), attendees[0]!["mode"]!.GetValue<string>(), attendees[0]!["role"]?.GetValue<string>()));
        Assert.Equal(("Lo Berg", "InPerson", (string?)null), (attendees[1]!["name"]!.GetValue<string>(), attendees[1]!["mode"]!.GetValue<string>(), attendees[1]!["role"]?.GetValue<string>()));
        // Server to server, as Anna: a development token for her, signed with the key the services trust.
        var identity = await Gateway.ValidateAsync(post.Authorization);
        Assert.NotNull(identity);
        Assert.Equal(Demo.AnnaSubject, identity.FindFirst(SipClaims.Subject)?.Value);

        var token = post.Authorization!["Bearer ".Length..];
        Assert.All(pages, html => Assert.DoesNotContain(token, html, StringComparison.Ordinal));
        var cookies = await Context.CookiesAsync();
        Assert.All(cookies, c => Assert.DoesNotContain(token, c.Value, StringComparison.Ordinal));
        var session = Assert.Single(cookies, c => c.Name == "sip-session");
        Assert.True(session.HttpOnly, "the session cookie is readable by page script");
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        Assert.Equal(0, await Page.EvaluateAsync<int>("document.cookie.length"));
    }

    [Fact]
    public async Task A_problem_from_the_service_shows_next_to_the_field_and_keeps_what_was_typed()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/moten/{Demo.MeetingForProblems}");

        // A role but no name: the service refuses (400 attendees-missing) and says why, in Swedish.
        await Page.GetByLabel("Roll (frivillig)").FillAsync("Kurator");
        await Page.GetByLabel("Deltar", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Telefon" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" }).ClickAsync();

        var error = Page.Locator("#deltagare-fel");
        await Expect(error).ToContainTextAsync("Ange vem som kommer");
        await Expect(Page.Locator("fieldset").Filter(new() { HasText = "Vem deltar för enheten?" }).Locator("#deltagare-fel")).ToHaveCountAsync(1);
        var name = Page.Locator("#deltagare-0-namn");
        await Expect(name).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(name).ToHaveAttributeAsync("aria-describedby", "deltagare-fel");
        await Expect(name).ToBeFocusedAsync();
        await Expect(Page.Locator("#deltagare-0-roll")).ToHaveValueAsync("Kurator");
        await Expect(Page.Locator("#deltagare-0-satt")).ToHaveValueAsync("Phone");
        Assert.Single(Gateway.CallsTo($"/api/v1/meetings/{Demo.MeetingForProblems}/summons/{Demo.S(2)}/acknowledge"));

        // Declining without a reason: the service's message next to the reason.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avböj kallelsen" }).ClickAsync();
        var reasonError = Page.Locator("#anledning-fel");
        await Expect(reasonError).ToContainTextAsync("Ange varför enheten avböjer");
        await Expect(Page.GetByLabel("Anledning")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.GetByLabel("Anledning")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Declining_asks_for_confirmation_before_anything_is_sent()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/moten/{Demo.MeetingToDecline}");
        var declines = $"/api/v1/meetings/{Demo.MeetingToDecline}/summons/{Demo.S(6)}/decline";

        await Page.GetByLabel("Anledning").FillAsync("Personen har ingen kontakt med vårdcentralen längre.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avböj kallelsen" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du avböja kallelsen?" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".sip-quote")).ToHaveTextAsync("Personen har ingen kontakt med vårdcentralen längre.");
        Assert.Empty(Gateway.CallsTo(declines));

        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avböj kallelsen" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Kallelsen är avböjd");
        var post = Assert.Single(Gateway.CallsTo(declines));
        Assert.Equal("Personen har ingen kontakt med vårdcentralen längre.", post.Body!["reason"]!.GetValue<string>());
        await Expect(Page.GetByTestId("kallelse").Filter(new() { HasText = "Vårdcentralen Norrby" })).ToContainTextAsync("Avböjd");
    }
}
