using Microsoft.Playwright;

namespace Sip.Web.Tests;

/// <summary>
/// Goals met at evaluation (issue 16): both closure forms list the locked plan's short-term goals, each a radio group
/// (Uppnått / Inte uppnått / Inte bedömt, not judged by default), and post the goals judged, met or not.
/// </summary>
public sealed class GoalEvaluationTests(WebAppFixture app) : AppPageTest(app)
{
    private ILocator Goal(int number) => Page.GetByRole(AriaRole.Group, new() { Name = $"Delmål {number}: {Demo.Goals[number - 1].Text}", Exact = true });

    /// <summary>Clicks the label, as a person does: FKUI draws the radio button there and hides the input under it.</summary>
    private async Task ChooseAsync(int goal, string judgement)
    {
        await Goal(goal).GetByText(judgement, new() { Exact = true }).ClickAsync();
        await Expect(Goal(goal).GetByLabel(judgement, new() { Exact = true })).ToBeCheckedAsync();
    }

    private IReadOnlyList<(Guid, bool)> PostedEvaluations(Guid caseId) =>
        Assert.Single(Gateway.CallsTo($"/api/v1/cases/{caseId}/close")).Body!["goalEvaluations"]!.AsArray()
            .Select(g => (g!["goalId"]!.GetValue<Guid>(), g["met"]!.GetValue<bool>())).Order().ToList();

    [Fact]
    public async Task The_case_page_closure_form_asks_for_each_goal_of_the_locked_plan_and_posts_those_judged_which_the_closed_case_then_shows()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/cases/{Demo.Case6}?enhet={Demo.Norrby}");

        await Expect(Page.GetByRole(AriaRole.Group, new() { Name = "Har delmålen uppnåtts?" })).ToBeVisibleAsync();
        for (var n = 1; n <= Demo.Goals.Length; n++)
        {
            await Expect(Goal(n).GetByRole(AriaRole.Radio)).ToHaveCountAsync(3);
            await Expect(Goal(n).GetByLabel("Inte bedömt")).ToBeCheckedAsync();
        }
        await AssertAccessibleAsync("the closure form with the plan's goals");

        await ChooseAsync(1, "Uppnått");
        await ChooseAsync(2, "Inte uppnått");
        await Page.Locator("#avsluta-beslutade").FillAsync("Lena Berg\nAnna Lind");
        await Page.Locator("#avsluta-kommentar").FillAsync("Samordning behövs inte längre.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta ärendet" }).ClickAsync();

        // The confirmation names what will be recorded; nothing is sent yet.
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du avsluta ärendet?" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("delmal-bekrafta").Locator("li"))
            .ToHaveTextAsync(["Bo kvar hemma med stöd: Uppnått", "Komma igång med dagverksamhet: Inte uppnått"]);
        Assert.Empty(Gateway.CallsTo($"/api/v1/cases/{Demo.Case6}/close"));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avsluta ärendet" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ärendet är avslutat.");
        await Expect(Page.GetByTestId("delmal-utvardering").Locator("li"))
            .ToHaveTextAsync(["Bo kvar hemma med stöd: Uppnått", "Komma igång med dagverksamhet: Inte uppnått"]);
        Assert.Equal([(Demo.Goals[0].Id, true), (Demo.Goals[1].Id, false)], PostedEvaluations(Demo.Case6));
        await AssertAccessibleAsync("a case closed with its goals judged");
    }

    [Fact]
    public async Task The_plan_page_closure_form_posts_only_the_goals_judged_and_keeps_the_choices_through_the_confirmation()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: $"/cases/{Demo.Case7}/plans/1?enhet={Demo.Norrby}");

        await ChooseAsync(3, "Inte uppnått");
        await ChooseAsync(1, "Uppnått");
        // Changed back: a goal not judged is not sent.
        await ChooseAsync(1, "Inte bedömt");
        await Page.Locator("#avsluta-beslutade").FillAsync("Lena Berg");
        await Page.Locator("#avsluta-kommentar").FillAsync("Målen är utvärderade vid mötet.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta SIP-arbetet …" }).ClickAsync();
        await Expect(Page.GetByTestId("delmal-bekrafta").Locator("li")).ToHaveTextAsync(["Sova hela nätter: Inte uppnått"]);
        await AssertAccessibleAsync("the plan page's closure confirmation with a goal judged");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avsluta" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("SIP-arbetet är utvärderat och avslutat.");
        Assert.Equal([(Demo.Goals[2].Id, false)], PostedEvaluations(Demo.Case7));
    }
}
