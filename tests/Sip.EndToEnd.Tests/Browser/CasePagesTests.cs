using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests.Browser;

/// <summary>
/// The case pages as staff use them: opening a case, initiatives (acknowledge; decline naming another unit, which the sender
/// forwards with one click), case messages, closing, and the unit's discharge (LUS) cases. People and consents come from the API.
/// </summary>
public sealed class CasePagesTests : PlatformPageTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;
    private static readonly Guid Partille = ThinSlice.SocialtjanstenPartille;
    private const string MolndalName = "Socialtjänsten Mölndal, mottagning vuxen";
    private const string PartilleName = "Socialtjänsten Partille, barn och unga";

    private static async Task<(Guid CaseId, string Reference)> OpenCaseAsync(params Guid[] consentedUnits)
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), consentedUnits);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, "1481", Molndal), HttpStatusCode.Created);
        return (opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!);
    }

    /// <summary>Ticks a checkbox or radio button by its label, as a user does (FKUI draws the box on the label and hides the input).</summary>
    private static Task TickAsync(IPage page, string label) =>
        page.Locator("label.checkbox__label, label.radio-button__label").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(label)}(\\s|$)") }).ClickAsync();

    /// <summary>The field whose label starts with <paramref name="label"/> (the label also holds its help text).</summary>
    private static ILocator Field(IPage page, string label) => page.GetByLabel(new Regex($"^\\s*{Regex.Escape(label)}(\\s|$)"));


    [Fact]
    public async Task A_case_opened_from_the_page_gets_an_initiative_that_the_receiving_unit_acknowledges()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        await SignInAsync("anna", $"/cases/ny?person={individual}");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Öppna SIP-ärende");
        await AssertAccessibleAsync("Öppna ärende");

        await Page.GetByLabel("Anledning").FillAsync("Behöver samordnade insatser från vårdcentral och socialtjänst.");
        await TickAsync(Page, "Brådskande");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();

        await Expect(Page.Locator("main h1")).ToContainTextAsync("SIP-");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ärendet är öppnat");
        await Expect(Page.GetByTestId("arende-status")).ToHaveTextAsync("Pågående");
        var caseUrl = PathOf(Page.Url);
        var reference = (await Page.Locator("main h1").TextContentAsync())!.Split(' ').Last();

        // An initiative to a unit chosen from the address book.
        await Field(Page, "Enhet").SelectOptionAsync(new SelectOptionValue { Label = $"{MolndalName} (Socialtjänst)" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka initiativ" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är skickat");
        await Expect(Page.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Väntar på svar");
        await AssertAccessibleAsync("Ärende med initiativ");

        // Socialtjänsten finds it in its inbox, and the link opens the case where it is answered.
        var erik = await SecondUserAsync("erik");
        await (await InboxLinkAsync(erik, reference, "Initiativ att besvara")).ClickAsync();
        Assert.Contains("#initiativ", erik.Url, StringComparison.Ordinal);
        await Field(erik, "Kommentar").FillAsync("Erik Ek deltar.");
        await AssertAccessibleAsync("Svara på initiativ", erik);
        await erik.GetByRole(AriaRole.Button, new() { Name = "Kvittera initiativet" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är kvitterat");
        await Expect(erik.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Kvitterat");
        await Expect(erik.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Erik Ek deltar.");

        await Page.GotoAsync(caseUrl);
        await Expect(Page.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Kvitterat");
    }

    [Fact]
    public async Task A_unit_declines_naming_another_unit_after_confirming_and_the_sender_forwards_it_with_one_click()
    {
        var (caseId, reference) = await OpenCaseAsync(Norrby, Molndal, Partille);

        // Socialtjänsten Mölndal declines and names Partille; declining waits for a confirmation.
        var erik = await SecondUserAsync("erik");
        await (await InboxLinkAsync(erik, reference, "Initiativ att besvara")).ClickAsync();
        await erik.GetByLabel("Varför avböjer enheten?").FillAsync("Personen bor i Partille.");
        await erik.GetByLabel("Hänvisa till enhet").SelectOptionAsync(new SelectOptionValue { Label = PartilleName });
        await erik.GetByRole(AriaRole.Button, new() { Name = "Avböj initiativet" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Heading, new() { Name = "Vill du avböja initiativet?" })).ToBeVisibleAsync();
        await Expect(erik.Locator(".sip-confirm")).ToContainTextAsync(PartilleName);
        await Expect(erik.Locator(".sip-confirm")).ToContainTextAsync("Personen bor i Partille.");
        await AssertAccessibleAsync("Avböj initiativ, bekräfta", erik);
        await erik.GetByRole(AriaRole.Button, new() { Name = "Ja, avböj initiativet" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är avböjt");
        await Expect(erik.Locator("main h1")).ToHaveTextAsync("Inkorg");

        // The sender sees the decline and the unit named, and forwards with one click.
        await SignInAsync("anna", $"/cases/{caseId}");
        var declined = Page.GetByTestId("initiativ").Filter(new() { HasText = MolndalName });
        await Expect(declined).ToContainTextAsync("Avböjt");
        await Expect(declined).ToContainTextAsync($"Hänvisar till {PartilleName}.");
        await AssertAccessibleAsync("Ärende med avböjt initiativ");
        await Page.GetByRole(AriaRole.Button, new() { Name = $"Skicka vidare till {PartilleName}" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är skickat vidare");
        await Expect(Page.GetByTestId("initiativ").Filter(new() { Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = PartilleName }) })).ToContainTextAsync("Väntar på svar");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = $"Skicka vidare till {PartilleName}" })).ToHaveCountAsync(0);

        // Partille finds it in its inbox.
        var sara = await SecondUserAsync("sara");
        await (await InboxLinkAsync(sara, reference, "Initiativ att besvara")).ClickAsync();
        await Expect(sara.GetByRole(AriaRole.Heading, new() { Name = "Svara på initiativet" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_case_cancelled_because_consent_was_withdrawn_still_shows_the_coordinator_that_when_and_why_and_nothing_more()
    {
        var (caseId, reference) = await OpenCaseAsync(Norrby, Molndal);
        using (var anna = Platform.As("anna"))
        {
            var individual = (await JsonAsync(await anna.GetAsync($"api/v1/cases/{caseId}", Ct), HttpStatusCode.OK)).GetProperty("individualId").GetGuid();
            var consents = await JsonAsync(await anna.GetAsync($"api/v1/consent/individuals/{individual}/consents", Ct), HttpStatusCode.OK);
            await JsonAsync(await anna.PostAsJsonAsync($"api/v1/consent/consents/{consents[0].GetProperty("consentId").GetGuid()}/withdrawal",
                new { form = "Oral", comment = "Vill inte längre.", unitId = Norrby }, Ct), HttpStatusCode.OK);
            await Eventually.HoldsAsync(async () => (await anna.GetAsync($"api/v1/cases/{caseId}", Ct)) is { StatusCode: HttpStatusCode.OK } r
                && (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString() == "Cancelled", TimeSpan.FromSeconds(60), "the case is cancelled");
        }

        await SignInAsync("anna", $"/cases/{caseId}");

        await Expect(Page.Locator("main h1")).ToContainTextAsync(reference);
        await Expect(Page.Locator(".message-box")).ToContainTextAsync("samtycket har återkallats");
        await Expect(Page.Locator(".message-box")).ToContainTextAsync("Samtycket omfattar inte längre er enhet");
        await Expect(Page.Locator(".sip-facts")).ToContainTextAsync("Avbrutet");
        await Expect(Page.GetByTestId("initiativ")).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Alert)).ToHaveCountAsync(0);
        await AssertAccessibleAsync("Avbrutet ärende");
    }

    [Fact]
    public async Task A_message_sent_for_acknowledgement_is_acknowledged_by_the_receiving_unit()
    {
        var (caseId, reference) = await OpenCaseAsync(Norrby, Molndal);
        await SignInAsync("anna", $"/cases/{caseId}");
        await Field(Page, "Meddelande").FillAsync("Passar tisdag kl. 10 för SIP-mötet?");
        await TickAsync(Page, "För kvittens");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka meddelandet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Meddelandet är skickat");
        var sent = Page.GetByTestId("meddelande").Filter(new() { HasText = "Passar tisdag" });
        await Expect(sent).ToContainTextAsync("För kvittens");
        await Expect(sent).ToContainTextAsync("Ingen har kvitterat ännu.");

        var erik = await SecondUserAsync("erik");
        await (await InboxLinkAsync(erik, reference, "Meddelande att kvittera")).ClickAsync();
        Assert.Contains("#meddelanden", erik.Url, StringComparison.Ordinal);
        await AssertAccessibleAsync("Meddelande att kvittera", erik);
        await erik.GetByRole(AriaRole.Button, new() { Name = "Kvittera meddelandet" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Meddelandet är kvitterat");
        await Expect(erik.GetByTestId("meddelande").Filter(new() { HasText = "Passar tisdag" })).ToContainTextAsync($"Kvitterat av: {MolndalName}");
        await Expect(erik.GetByRole(AriaRole.Button, new() { Name = "Kvittera meddelandet" })).ToHaveCountAsync(0);
        await erik.GotoAsync("/");
        Assert.Null(await FindInInboxAsync(erik, reference, "Meddelande att kvittera"));
    }

    [Fact]
    public async Task A_followed_up_case_is_closed_only_after_the_coordinator_confirms()
    {
        var (caseId, _) = await OpenCaseAsync(Norrby, Molndal);
        await FollowUpAsync(caseId);

        await SignInAsync("anna", $"/cases/{caseId}");
        await TickAsync(Page, "Utvärderingen gjordes vid ett utvärderingsmöte");
        await Page.GetByLabel("Vilka beslutade att avsluta").FillAsync("Kim Berg\nAnna Lind\nErik Ek");
        await Field(Page, "Kommentar").FillAsync("Målen är nådda.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta ärendet" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du avsluta ärendet?" })).ToBeVisibleAsync();
        await Expect(Page.Locator(".sip-confirm")).ToContainTextAsync("Kim Berg, Anna Lind, Erik Ek");
        await Expect(Page.GetByTestId("arende-status")).ToHaveTextAsync("Pågående");
        await AssertAccessibleAsync("Avsluta ärende, bekräfta");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avsluta ärendet" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ärendet är avslutat");
        await Expect(Page.GetByTestId("arende-status")).ToHaveTextAsync("Avslutat");
        await Expect(Page.Locator(".sip-facts").First).ToContainTextAsync("Målen är nådda.");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta ärendet" })).ToHaveCountAsync(0);
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Skicka meddelandet" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync("Avslutat ärende");
    }

    [Fact]
    public async Task The_discharge_page_shows_the_units_discharge_cases_with_their_deadlines_late_ones_first()
    {
        var (onTime, onTimeReference) = await OpenCaseAsync(Norrby, Molndal);
        var (late, lateReference) = await OpenCaseAsync(Norrby, Molndal);
        using var anna = Platform.As("anna");
        var ward = Platform.Unit("Psykiatrisk");
        foreach (var (caseId, readyDaysAgo) in new[] { (onTime, 1), (late, 5) })
        {
            await JsonAsync(await PutAsync(anna, $"api/v1/cases/{caseId}/discharge", new
            {
                unitId = Norrby,
                discharge = new
                {
                    admittedAt = DateTimeOffset.UtcNow.AddDays(-readyDaysAgo - 2), inpatientUnitId = ward, track = "Green",
                    fixedCareContact = "Anna Lind", fixedCareContactUnitId = Norrby, readyForDischargeAt = DateTimeOffset.UtcNow.AddDays(-readyDaysAgo),
                },
            }, etag: null), HttpStatusCode.OK);
        }

        await SignInAsync("anna", "/");
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Utskrivning (LUS)" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Utskrivning (LUS)");
        var rows = Page.GetByTestId("utskrivningsarende");
        var lateRow = rows.Filter(new() { HasText = lateReference });
        var onTimeRow = rows.Filter(new() { HasText = onTimeReference });
        await Expect(lateRow).ToContainTextAsync("Försenad");
        await Expect(lateRow).ToContainTextAsync("Kalla till SIP-möte");
        await Expect(lateRow).ToContainTextAsync("Grönt spår");
        await Expect(onTimeRow).ToContainTextAsync("Kalla till SIP-möte, senast");
        await Expect(onTimeRow).Not.ToContainTextAsync("Försenad");
        var order = (await rows.Locator("th a").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        Assert.True(order.IndexOf(lateReference) < order.IndexOf(onTimeReference), "late cases come first");
        await AssertAccessibleAsync("Utskrivning LUS");

        await lateRow.GetByRole(AriaRole.Link, new() { Name = lateReference }).ClickAsync();
        var summons = Page.GetByTestId("skyldighet").Filter(new() { HasText = "Kalla till SIP-möte" });
        await Expect(summons).ToContainTextAsync("Försenad");
        await AssertAccessibleAsync("Ärende med utskrivning");
    }

    [Fact]
    public async Task A_discharge_is_recorded_on_the_case_page_and_a_date_the_service_refuses_is_shown_next_to_the_dates_with_the_input_kept()
    {
        var (caseId, _) = await OpenCaseAsync(Norrby, Molndal);
        await SignInAsync("anna", $"/cases/{caseId}");
        await Page.GetByText("Registrera utskrivning (LUS)").ClickAsync();
        var admitted = DateTime.Now.AddDays(-2).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var ready = DateTime.Now.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await Page.GetByLabel("Inskriven").FillAsync(admitted);
        await Page.GetByLabel("Utskrivningsklar").FillAsync(ready);
        await Page.GetByLabel("Slutenvårdsenhet", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Psykiatrisk öppenvårdsmottagning Södra" });
        await TickAsync(Page, "Rött spår");
        await Field(Page, "Fast vårdkontakt").FillAsync("Anna Lind");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara utskrivningen" }).ClickAsync();

        // Ready for discharge before admission: the service's words next to the dates, everything typed still there.
        await Expect(Page.Locator("#utskrivning-datum-fel")).ToContainTextAsync("Datumen är i fel ordning");
        await Expect(Page.GetByLabel("Inskriven")).ToHaveValueAsync(admitted);
        await Expect(Page.GetByLabel("Utskrivningsklar")).ToHaveValueAsync(ready);
        await Expect(Page.GetByLabel("Utskrivningsklar")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Field(Page, "Fast vårdkontakt")).ToHaveValueAsync("Anna Lind");
        await Expect(Page.GetByLabel("Rött spår")).ToBeCheckedAsync();
        await AssertAccessibleAsync("Utskrivning med fel");

        var fixedReady = DateTime.Now.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await Page.GetByLabel("Utskrivningsklar").FillAsync(fixedReady);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara utskrivningen" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Utskrivningen är sparad");
        await Expect(Page.GetByTestId("skyldighet")).ToHaveCountAsync(3);
        await Expect(Page.GetByTestId("skyldighet").Filter(new() { HasText = "Kalla till SIP-möte" })).ToContainTextAsync("Återstår");
        await Expect(Page.Locator("#utskrivning")).ToContainTextAsync("Rött spår");
    }

    [Fact]
    public async Task A_reason_the_service_refuses_is_shown_next_to_the_field_with_the_typed_text_kept()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        await SignInAsync("anna", $"/cases/ny?person={individual}");
        var typed = "Kim behöver stöd i vardagen, se 191212121212.";
        await Page.GetByLabel("Anledning").FillAsync(typed);
        await TickAsync(Page, MolndalName);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();

        await Expect(Page.Locator("#arende-anledning-fel")).ToContainTextAsync("Anledningen innehåller ett identitetsnummer");
        await Expect(Page.GetByLabel("Anledning")).ToHaveValueAsync(typed);
        await Expect(Page.GetByLabel("Anledning")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.GetByLabel(MolndalName)).ToBeCheckedAsync();
        await AssertAccessibleAsync("Öppna ärende med fel");

        // A unit the consent does not cover: the service's words next to the units, the reason kept.
        await Page.GetByLabel("Anledning").FillAsync("Behöver samordning.");
        await TickAsync(Page, PartilleName);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();
        await Expect(Page.Locator("#arende-enheter-fel")).ToContainTextAsync("Giltigt samtycke saknas");
        await Expect(Page.GetByLabel("Anledning")).ToHaveValueAsync("Behöver samordning.");
    }

    [Fact]
    public async Task Every_link_the_notifications_send_for_a_case_opens_it_after_sign_in()
    {
        var (caseId, reference) = await OpenCaseAsync(Norrby, Molndal);
        await Page.GotoAsync($"/cases/{caseId}");
        Assert.Contains("/inloggning/utveckling", Page.Url, StringComparison.Ordinal);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Logga in som Erik Berg, socialsekreterare" }).ClickAsync();
        Assert.Equal($"/cases/{caseId}", PathOf(Page.Url));
        await Expect(Page.Locator("main h1")).ToHaveTextAsync($"Ärende {reference}");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Svara på initiativet" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_case_is_opened_with_the_keyboard_alone_and_the_focus_is_always_visible()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        await SignInAsync("anna", $"/cases/ny?person={individual}");

        await TabToAsync("arende-anledning");
        await Page.Keyboard.TypeAsync("Behöver samordning mellan vårdcentral och socialtjänst.");
        await TabToAsync("bradska-normal");
        await Page.Keyboard.PressAsync("ArrowDown");
        Assert.Equal("bradska-bradskande", await Page.EvaluateAsync<string>("document.activeElement.id"));
        var molndal = (await Page.GetByLabel(MolndalName).GetAttributeAsync("id"))!;
        await TabToAsync(molndal);
        await Page.Keyboard.PressAsync("Space");
        await Expect(Page.GetByLabel(MolndalName)).ToBeCheckedAsync();
        await TabToAsync(null, "Öppna ärendet");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ärendet är öppnat");
        await Expect(Page.Locator("main .badge").Filter(new() { HasText = "Brådskande" })).ToBeVisibleAsync();
    }

    /// <summary>The shared <see cref="PlatformPageTest.TabToAsync"/> to the element with <paramref name="id"/> (or the button reading <paramref name="text"/>).</summary>
    private Task TabToAsync(string? id, string? text = null) =>
        TabToAsync(id is not null ? Page.Locator($"[id='{id}']") : Page.GetByRole(AriaRole.Button, new() { Name = text, Exact = true }));

    /// <summary>Erik acknowledges, a plan is signed and locked, and Socialtjänsten reports its measure done: the case may be closed.</summary>
    private static async Task FollowUpAsync(Guid caseId)
    {
        using var anna = Platform.As("anna");
        using var erik = Platform.As("erik");
        var initiative = (await JsonAsync(await anna.GetAsync($"api/v1/cases/{caseId}", Ct), HttpStatusCode.OK)).GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid();
        await JsonAsync(await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{initiative}/acknowledge", new { unitId = Molndal }, Ct), HttpStatusCode.OK);
        var plans = $"api/v1/cases/{caseId}/plans";
        var (boendestod, samtal) = (Guid.NewGuid(), Guid.NewGuid());
        await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-1), content = PlanLifeTests.Content(boendestod, samtal, "Stöttande syster") }, Ct), HttpStatusCode.Created);
        await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        await JsonAsync(await PlanLifeTests.LockAsync(anna, plans, (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString()), HttpStatusCode.OK);
        await JsonAsync(await erik.PostAsJsonAsync($"{plans}/1/activities/{boendestod}/status", new { unitId = Molndal, status = "Done", comment = "Klart." }, Ct), HttpStatusCode.OK);
    }
}
