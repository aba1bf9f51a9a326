using Microsoft.Playwright;

namespace Sip.Web.Tests;

/// <summary>The case's target group (issue 16, for statistics): shown on the case page and changed there by staff of a unit taking part.</summary>
public sealed class TargetGroupTests(WebAppFixture app) : AppPageTest(app)
{
    [Fact]
    public async Task Staff_choose_a_target_group_on_the_case_page_and_the_case_service_is_sent_its_name()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/cases/{Demo.Case4}?enhet={Demo.Norrby}");
        await Expect(Page.GetByTestId("arende-malgrupp")).ToHaveTextAsync("Ej angiven");

        await Page.Locator("#malgrupp-val").SelectOptionAsync(new SelectOptionValue { Label = "Demens/kognitiv sjukdom" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara målgrupp" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Målgruppen är ändrad.");
        await Expect(Page.GetByTestId("arende-malgrupp")).ToHaveTextAsync("Demens/kognitiv sjukdom");
        var put = Assert.Single(Gateway.CallsTo($"/api/v1/cases/{Demo.Case4}/target-group", "PUT"));
        Assert.Equal(("PUT", "Dementia", Demo.Norrby.ToString()), (put.Method, put.Body!["targetGroup"]!.GetValue<string>(), put.Body["unitId"]!.GetValue<string>()));
        await AssertAccessibleAsync("a case with its target group changed");
    }

    [Fact]
    public async Task The_open_case_form_sends_the_chosen_target_group_and_sends_none_when_not_stated()
    {
        var person = Guid.NewGuid();
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/cases/ny?person={person}&enhet={Demo.Norrby}");
        await Expect(Page.GetByLabel("Målgrupp")).ToHaveValueAsync("NotStated");
        await AssertAccessibleAsync("the open-case form with its target group");

        await Page.GetByLabel("Anledning").FillAsync("Behöver samordning mellan skola och BUP.");
        await Page.GetByLabel("Målgrupp").SelectOptionAsync(new SelectOptionValue { Label = "Barn och unga" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ärende SIP-2026-0004");

        await Page.GotoAsync($"/cases/ny?person={person}&enhet={Demo.Norrby}");
        await Page.GetByLabel("Anledning").FillAsync("Behöver samordning kring boende.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ärende SIP-2026-0004");

        var posts = Gateway.CallsTo("/api/v1/cases").Where(c => c.Path == "/api/v1/cases").ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal((person.ToString(), "ChildrenYoung"), (posts[0].Body!["individualId"]!.GetValue<string>(), posts[0].Body!["targetGroup"]?.GetValue<string>()));
        Assert.Null(posts[1].Body!["targetGroup"]?.GetValue<string>());
    }
}
