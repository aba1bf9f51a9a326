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
}
