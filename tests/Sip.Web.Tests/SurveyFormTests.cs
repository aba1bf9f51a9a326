using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Sip.Web.Tests;

/// <summary>
/// SIP-kollen in a real browser, without signing in: the code from the meeting, the questions, the thanks with the
/// personal code; each step, errors shown included, without WCAG 2.1 A/AA violations; the code only ever in a form body.
/// </summary>
public sealed class SurveyFormTests(WebAppFixture app) : AppPageTest(app)
{
    private const string Answers = "/api/v1/statistics/survey/answers";

    [Fact]
    public async Task A_respondent_answers_with_a_code_from_the_meeting_and_gets_a_personal_code_every_step_accessible()
    {
        var code = Gateway.Survey.IssueCode();
        var urls = new List<string>();
        Page.Request += (_, request) => urls.Add(request.Url);

        await Page.GotoAsync("/sip-kollen");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("SIP-kollen");
        await AssertAccessibleAsync("SIP-kollen, the code step");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Skriv koden från lappen du fick på mötet.");
        await Expect(Page.GetByLabel("Kod", new() { Exact = false }).First).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync("SIP-kollen, the code step with a missing code");

        await Page.Locator("#kod").FillAsync("ABCD-EFGH");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Expect(Page.Locator("#kod-fel")).ToContainTextAsync("Koden finns inte");
        await AssertAccessibleAsync("SIP-kollen, the code step with an unknown code");

        // Typed as a person might: lower case, a space for the hyphen.
        var typed = code.ToLowerInvariant().Replace('-', ' ');
        await Page.Locator("#kod").FillAsync(typed);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vad tycker du?" })).ToBeVisibleAsync();
        await AssertAccessibleAsync("SIP-kollen, the questions");

        // Nothing chosen: the summary lists what is missing and links to each field.
        await ChooseAsync("Personalen lyssnade på mig.", "4");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka svaren" }).ClickAsync();
        var summary = Page.GetByRole(AriaRole.Alert);
        await Expect(summary).ToContainTextAsync("Välj din ålder.");
        await Expect(summary).ToContainTextAsync("Välj kön.");
        await Expect(summary).ToContainTextAsync("Välj kommunen där du bor.");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Välj kommunen där du bor." })).ToHaveAttributeAsync("href", "#kommun");
        // What was chosen is kept.
        await Expect(Page.GetByRole(AriaRole.Group, new() { Name = "Personalen lyssnade på mig." }).GetByLabel("4", new() { Exact = true })).ToBeCheckedAsync();
        await AssertAccessibleAsync("SIP-kollen, the questions with errors shown");
        Assert.Empty(AnswersWith(typed));

        await ChooseAsync("Ålder", "65–79 år");
        await ChooseAsync("Kön", "Kvinna");
        await Page.GetByLabel("Kommun där du bor").SelectOptionAsync(new SelectOptionValue { Label = "Mölndal" });
        await ChooseAsync("Jag är med och bestämmer om mitt stöd.", "5 – stämmer helt");
        await ChooseAsync("Vi pratade om det som är viktigt för mig.", "Vet inte");
        await ChooseAsync("Det är tydligt vem som gör vad.", "1 – stämmer inte alls");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka svaren" }).ClickAsync();

        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Tack för dina svar");
        await Expect(Page.GetByTestId("personlig-kod")).ToHaveTextAsync(SurveyStandIn.NewPersonalCode);
        await AssertAccessibleAsync("SIP-kollen, the thanks with the personal code");

        var post = Assert.Single(AnswersWith(typed));
        Assert.Null(post.Authorization);
        var body = post.Body!;
        Assert.Equal(code.ToLowerInvariant().Replace('-', ' '), body["code"]!.GetValue<string>());
        Assert.Equal(("65-79", "Female", "1481", false), (body["ageBand"]!.GetValue<string>(), body["sex"]!.GetValue<string>(),
            body["municipalityCode"]!.GetValue<string>(), body["declined"]!.GetValue<bool>()));
        string[] statements = ["respect", "participation", "relevance", "structure", "information"];
        Assert.Equal(new int?[] { 4, 5, null, 1, null }, statements.Select(s => body[s]?.GetValue<int?>()).ToArray());
        Assert.Null(body["personalCode"]);
        var normalised = code.Replace("-", "");
        Assert.DoesNotContain(urls, u => u.Contains(normalised, StringComparison.OrdinalIgnoreCase) || u.Contains(code, StringComparison.OrdinalIgnoreCase)
            || u.Contains(Uri.EscapeDataString(code.ToLowerInvariant().Replace('-', ' ')), StringComparison.OrdinalIgnoreCase));
        Assert.All(urls.Where(u => u.StartsWith(App.BaseUrl, StringComparison.Ordinal)), u => Assert.DoesNotMatch(new Regex(@"sip-kollen\?"), u));

        // The code is used up: the same code again is refused at the code step.
        await Page.GotoAsync("/sip-kollen");
        await Page.Locator("#kod").FillAsync(code);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Expect(Page.Locator("#kod-fel")).ToContainTextAsync("Koden är redan använd");
    }

    [Fact]
    public async Task A_second_answer_with_the_personal_code_shows_the_change_and_declining_sends_no_statement()
    {
        await Page.GotoAsync("/sip-kollen");
        await Page.Locator("#kod").FillAsync(Gateway.Survey.IssueCode());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await ChooseAsync("Ålder", "18–64 år");
        await ChooseAsync("Kön", "Man");
        await Page.GetByLabel("Kommun där du bor").SelectOptionAsync(new SelectOptionValue { Label = "Borås" });
        await ChooseAsync("Personalen lyssnade på mig.", "4");
        await ChooseAsync("Det är tydligt vem som gör vad.", "2");
        await Page.GetByLabel("Personlig kod från ett tidigare svar (frivilligt)").FillAsync("XXXXX-XXXXX");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka svaren" }).ClickAsync();
        await Expect(Page.Locator("#personlig-fel")).ToContainTextAsync("Den personliga koden känns inte igen");
        await AssertAccessibleAsync("SIP-kollen, an unknown personal code");

        await Page.GetByLabel("Personlig kod från ett tidigare svar (frivilligt)").FillAsync(SurveyStandIn.KnownPersonalCode.ToLowerInvariant());
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka svaren" }).ClickAsync();
        var comparison = Page.GetByTestId("jamforelse");
        await Expect(comparison).ToBeVisibleAsync();
        await Expect(comparison.GetByRole(AriaRole.Row, new() { Name = "Personalen lyssnade på mig." })).ToContainTextAsync("+2");
        await Expect(comparison.GetByRole(AriaRole.Row, new() { Name = "Det är tydligt vem som gör vad." })).ToContainTextAsync("−2");
        await Expect(Page.GetByTestId("personlig-kod")).ToHaveCountAsync(0);
        await AssertAccessibleAsync("SIP-kollen, the thanks with the comparison");

        await Page.GotoAsync("/sip-kollen");
        var third = Gateway.Survey.IssueCode();
        await Page.Locator("#kod").FillAsync(third);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await ChooseAsync("Ålder", "80 år eller äldre");
        await ChooseAsync("Kön", "Annat eller vill inte ange");
        await Page.GetByLabel("Kommun där du bor").SelectOptionAsync(new SelectOptionValue { Label = "Stockholm" });
        await ChooseAsync("Personalen lyssnade på mig.", "3");
        await Page.Locator("label[for=avstar]").ClickAsync();
        await Expect(Page.Locator("#avstar")).ToBeCheckedAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka svaren" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Vi har räknat med din ålder, ditt kön och din kommun.");
        await AssertAccessibleAsync("SIP-kollen, the thanks after declining");

        var declined = Assert.Single(AnswersWith(third));
        Assert.True(declined.Body!["declined"]!.GetValue<bool>());
        Assert.Equal(("80+", "Other", "0180"), (declined.Body!["ageBand"]!.GetValue<string>(), declined.Body["sex"]!.GetValue<string>(),
            declined.Body["municipalityCode"]!.GetValue<string>()));
        Assert.All(["respect", "participation", "relevance", "structure", "information"], s => Assert.Null(declined.Body[s]));
    }

    [Fact]
    public async Task A_coordinator_creates_a_code_to_hand_out_and_an_answer_made_on_their_computer_carries_no_token()
    {
        await SignInAsync("Anna Lind, distriktssköterska", from: "/sip-kollen/kod");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Engångskod till SIP-kollen");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skapa en kod" }).ClickAsync();
        var shown = Page.GetByTestId("engangskod");
        await Expect(shown).ToHaveTextAsync(new Regex("^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$"));
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Gäller till och med 4 februari 2027.");
        await AssertAccessibleAsync("SIP-kollen, a coordinator's new code");
        // Asked for as Anna, with her token (only this test asks the stand-in for codes).
        var issued = Assert.Single(Gateway.CallsTo("/api/v1/statistics/survey/codes"), c => c.Path == "/api/v1/statistics/survey/codes");
        var identity = await Gateway.ValidateAsync(issued.Authorization);
        Assert.Equal(Demo.AnnaSubject, identity?.FindFirst(Sip.ServiceDefaults.Auth.SipClaims.Subject)?.Value);
        var code = (await shown.TextContentAsync())!;

        // Still signed in: the respondent answers on the same computer, and the answer goes without Anna's token.
        await Page.GotoAsync("/sip-kollen");
        await Page.Locator("#kod").FillAsync(code);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await ChooseAsync("Ålder", "18–64 år");
        await ChooseAsync("Kön", "Kvinna");
        await Page.GetByLabel("Kommun där du bor").SelectOptionAsync(new SelectOptionValue { Label = "Stockholm" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka svaren" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Tack för dina svar");
        var answer = Assert.Single(AnswersWith(code));
        Assert.Null(answer.Authorization);
        Assert.All(Gateway.Calls.Where(c => c.Path.StartsWith("/api/v1/statistics/survey/", StringComparison.Ordinal) && c.Path != "/api/v1/statistics/survey/codes"),
            c => Assert.Null(c.Authorization));
    }

    /// <summary>The answers posted with this code (the stand-in gateway is shared by every test in the run).</summary>
    private List<RecordedCall> AnswersWith(string code) =>
        [.. Gateway.CallsTo(Answers).Where(c => c.Body?["code"]?.GetValue<string>() == code)];

    /// <summary>Chooses an answer as a person does, by clicking its label in the question's group; asserts it is then chosen.</summary>
    private async Task ChooseAsync(string question, string answer)
    {
        var group = Page.GetByRole(AriaRole.Group, new() { Name = question });
        await group.Locator("label").Filter(new() { HasTextRegex = new Regex("^" + Regex.Escape(answer) + "$") }).ClickAsync();
        await Expect(group.GetByLabel(answer, new() { Exact = true })).ToBeCheckedAsync();
    }
}
