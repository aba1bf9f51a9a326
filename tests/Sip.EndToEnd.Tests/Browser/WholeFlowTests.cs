using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sip.Testing;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests.Browser;

/// <summary>
/// The whole SIP flow through the staff web app alone (issue 12): Anna at Vårdcentralen Norrby registers a person, records
/// the consent, opens a case and sends an initiative to Socialtjänsten Mölndal; Erik answers it from his inbox; Anna books
/// and holds the planning meeting, writes and signs the plan, Erik fills in his unit's activity, Anna locks and prints it,
/// the plan is followed up and the case closed. Each main page passes axe and is photographed (SIP_WEB_SCREENSHOTS).
/// And a keyboard-only walk from the inbox to an answered initiative and a saved change in the plan.
/// </summary>
public sealed class WholeFlowTests : PlatformPageTest
{
    private const string NorrbyName = "Vårdcentralen Norrby";
    private const string MolndalName = "Socialtjänsten Mölndal, mottagning vuxen";
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ILocator Main => Page.Locator("main");

    /// <summary>FKUI draws a checkbox or radio button on its label and hides the input: click the label, as a user does.</summary>
    private static async Task TickAsync(IPage page, ILocator input)
    {
        var id = await input.GetAttributeAsync("id");
        await page.Locator($"label[for='{id}']").ClickAsync();
    }

    /// <summary>The field whose label starts with <paramref name="label"/> (labels also hold their help text).</summary>
    private static ILocator Field(IPage page, string label) => page.GetByLabel(new Regex($"^\\s*{Regex.Escape(label)}(\\s|$)"));


    private static string DaysAhead(int days) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Anna_and_Erik_take_a_new_person_from_registration_to_a_closed_case_through_the_pages_alone()
    {
        // 1. Anna registers a new person.
        var number = Platform.NewPersonnummer();
        await SignInAsync("anna");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Inkorg");
        await AssertAccessibleAsync("inbox");
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Personer" }).ClickAsync();
        await Page.Locator("#sok-nummer").FillAsync(number);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sök" }).ClickAsync();
        await Expect(Page.Locator("#sok-ingen-traff")).ToContainTextAsync("Ingen träff");
        await Page.GotoAsync("/personer/ny");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Registrera person");
        await Page.Locator("#ny-nummer").FillAsync(number);
        await Page.Locator("#ny-namn").FillAsync("Kim Flödesson");
        await AssertAccessibleAsync("person-register");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Registrera", Exact = true }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Personen är registrerad.");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Kim Flödesson");
        await Expect(Page.GetByTestId("person-nummer")).ToHaveTextAsync(number);

        // 2. The person's consent, covering Norrby and Socialtjänsten Mölndal.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Registrera samtycke" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Radio, new() { Name = "Den enskildes samtycke" })).ToBeCheckedAsync();
        await Page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Expect(Page.Locator("#vald-grund")).ToContainTextAsync("Den enskildes samtycke");
        await TickAsync(Page, Page.GetByRole(AriaRole.Radio, new() { Name = "Samtycker" }));
        await Page.Locator("#egen-form").SelectOptionAsync("Written");
        await TickAsync(Page, Page.GetByRole(AriaRole.Checkbox, new() { Name = MolndalName }));
        await Expect(Page.GetByRole(AriaRole.Checkbox, new() { Name = MolndalName })).ToBeCheckedAsync();
        await AssertAccessibleAsync("consent-form");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Registrera samtycket" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Samtycket är registrerat.");
        await Expect(Page.GetByTestId("samtycke-status")).ToHaveTextAsync("Lämnat");
        await Expect(Main).ToContainTextAsync(MolndalName);
        await AssertAccessibleAsync("consent");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Tillbaka till personen" }).ClickAsync();
        await Expect(Page.GetByTestId("samtycke")).ToContainTextAsync("Den enskildes samtycke, lämnat");
        await AssertAccessibleAsync("person");

        // 3. A case opened from the person page, and an initiative to Mölndal.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Öppna ärende" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Öppna SIP-ärende");
        await Page.GetByLabel("Anledning").FillAsync("Behöver samordnade insatser från vårdcentral och socialtjänst.");
        await AssertAccessibleAsync("case-open");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärendet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ärendet är öppnat");
        await Expect(Page.GetByTestId("arende-status")).ToHaveTextAsync("Pågående");
        await Expect(Page.Locator("section.sip-case-person").GetByTestId("person-nummer")).ToHaveTextAsync(number);
        var caseUrl = new Uri(Page.Url).AbsolutePath;
        var reference = (await Page.Locator("main h1").TextContentAsync())!.Split(' ').Last();
        Assert.StartsWith("SIP-", reference, StringComparison.Ordinal);

        await Field(Page, "Enhet").SelectOptionAsync(new SelectOptionValue { Label = $"{MolndalName} (Socialtjänst)" });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Skicka initiativ" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är skickat");
        await Expect(Page.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Väntar på svar");
        await AssertAccessibleAsync("case");

        // 4. Erik finds the initiative in his inbox and acknowledges it; it leaves the inbox.
        var erik = await SecondUserAsync("erik");
        await Expect(erik.Locator("main h1")).ToHaveTextAsync("Inkorg");
        await (await InboxLinkAsync(erik, reference, "Initiativ att besvara")).ClickAsync();
        await Field(erik, "Kommentar").FillAsync("Erik Berg deltar för socialtjänsten.");
        await AssertAccessibleAsync("initiative-answer", erik);
        await erik.GetByRole(AriaRole.Button, new() { Name = "Kvittera initiativet" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är kvitterat");
        await Expect(erik.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Kvitterat");
        await erik.GotoAsync("/");
        Assert.Null(await FindInInboxAsync(erik, reference, "Initiativ att besvara"));

        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Kvitterat");

        // 5. Anna books the planning meeting and summons Mölndal.
        await Main.GetByRole(AriaRole.Link, new() { Name = "Boka möte" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Boka möte");
        await Main.GetByLabel("Typ av möte").SelectOptionAsync(new SelectOptionValue { Label = "SIP-möte (planering)" });
        await Main.GetByLabel("Datum").FillAsync(DaysAhead(3));
        await Main.GetByLabel("Klockslag").FillAsync("10:00");
        await Main.GetByLabel("Längd i minuter").FillAsync("60");
        await Main.GetByLabel("Typ av plats").SelectOptionAsync(new SelectOptionValue { Label = "Mottagning" });
        await Main.GetByLabel("Adress, lokal eller länk").FillAsync("Vårdcentralen Norrby, rum 3");
        await Main.GetByLabel("Anledning till mötet").FillAsync("Planera stödet");
        await Expect(Main.GetByLabel(MolndalName)).ToBeCheckedAsync();
        await Main.GetByLabel("Den enskildes namn i brevet").FillAsync("Kim Flödesson");
        await AssertAccessibleAsync("meeting-book");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Boka mötet och skicka kallelser" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är bokat och kallelserna är skickade.");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("SIP-möte (planering)");
        await Expect(Page.GetByTestId("kallelse")).ToContainTextAsync("Väntar på svar");
        var meetingUrl = new Uri(Page.Url).AbsolutePath;

        // 6. Erik answers the summons from his inbox, naming who comes; it leaves the inbox.
        await erik.ReloadAsync();
        await (await InboxLinkAsync(erik, reference, "Kallelse att besvara")).ClickAsync();
        await Expect(erik.Locator("main h1")).ToHaveTextAsync("SIP-möte (planering)");
        await erik.Locator("#deltagare-0-namn").FillAsync("Erik Berg");
        await erik.Locator("#deltagare-0-roll").FillAsync("Socialsekreterare");
        await erik.Locator("#deltagare-0-satt").SelectOptionAsync(new SelectOptionValue { Label = "Video" });
        await erik.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        await erik.GotoAsync("/");
        Assert.Null(await FindInInboxAsync(erik, reference, "Kallelse att besvara"));

        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("kallelse")).ToContainTextAsync("Kvitterad");
        await Expect(Page.GetByTestId("kallelse")).ToContainTextAsync("Erik Berg");
        await AssertAccessibleAsync("meeting");

        // 7. The meeting is held: Anna registers who took part.
        await Main.GetByRole(AriaRole.Link, new() { Name = "Registrera mötet och boka nästa" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Registrera mötet");
        await Expect(Main.Locator("#deltagare-1-namn")).ToHaveValueAsync("Erik Berg");
        await Main.Locator("#deltagare-0-namn").FillAsync("Kim Flödesson");
        await Main.Locator("#deltagare-2-namn").FillAsync("Anna Lind");
        await Main.GetByText("Boka nästa möte nu").ClickAsync();
        await Expect(Main.GetByLabel("Boka nästa möte nu")).Not.ToBeCheckedAsync();
        await AssertAccessibleAsync("meeting-hold");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Registrera mötet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är registrerat som hållet.");
        await Expect(Page.GetByTestId("deltog")).ToContainTextAsync("Kim Flödesson, Den enskilde (på plats)");
        await Expect(Page.GetByTestId("deltog")).ToContainTextAsync($"Erik Berg, Socialsekreterare, {MolndalName} (video)");

        // 8. Anna writes the plan version: the law's four points, a goal, two activities (one Mölndal's), and signs.
        // Holding the meeting started the plan's first version as a draft (case consumes MeetingHeld, so it comes a
        // moment later); the case page links to it. A page already loaded does not change by itself: load it again.
        await Eventually.HoldsAsync(async () =>
        {
            await Page.GotoAsync(caseUrl);
            var versions = Page.GetByTestId("planversioner");
            return await versions.CountAsync() > 0 && (await versions.InnerTextAsync()).Contains("Utkast", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the case page lists the plan's first version as a draft");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Plan, version 1" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Plan, version 1");
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Utkast");
        var planUrl = PathOf(Page.Url);
        await Page.Locator("#plan-samordnare").FillAsync("Anna Lind");
        await Page.Locator("#deltagare-0-namn").FillAsync("Kim Flödesson");
        await Page.Locator("#deltagare-0-roll").FillAsync("Den enskilde");
        await Page.Locator("#plan-langsiktiga-mal").FillAsync("Att bo kvar hemma och må bra");
        await Page.Locator("#delmal-0-text").FillAsync("Stabil vardag");
        await Page.Locator("#aktivitet-0-0-vad").FillAsync("Stödsamtal");
        await Page.Locator("#aktivitet-0-0-enhet").SelectOptionAsync(new SelectOptionValue { Label = NorrbyName });
        await Page.Locator("#aktivitet-0-0-huvudman").SelectOptionAsync("Region");
        await Page.Locator("#aktivitet-0-0-tidsplan").FillAsync("vid behov");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lägg till aktivitet i delmål 1" }).ClickAsync();
        await Page.Locator("#aktivitet-0-1-vad").FillAsync("Boendestöd");
        await Page.Locator("#aktivitet-0-1-enhet").SelectOptionAsync(new SelectOptionValue { Label = MolndalName });
        await Page.Locator("#aktivitet-0-1-huvudman").SelectOptionAsync("Municipality");
        await Page.Locator("#aktivitet-0-1-tidsplan").FillAsync("1 gång per månad");
        await Page.Locator("label[for=plan-inga-andra]").ClickAsync();
        await Page.Locator("label[for=plan-ansvar-Municipality]").ClickAsync();
        await Page.Locator("#uppfoljning-datum").FillAsync(DaysAhead(90));
        await Page.Locator("#uppfoljning-kallar").FillAsync("Anna Lind");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara utkastet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Utkastet är sparat.");
        await Expect(Page.GetByText("Det senast sparade utkastet besvarar lagens fyra punkter.")).ToBeVisibleAsync();
        await Expect(Page.Locator("#aktivitet-0-0-tidsplan")).ToHaveValueAsync("vid behov");
        await Expect(Page.Locator("#aktivitet-0-1-tidsplan")).ToHaveValueAsync("1 gång per månad");
        await AssertAccessibleAsync("plan-draft");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Signera planen" }).ClickAsync();
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");

        // 9. Erik fills in his unit's activity on the signed version.
        await erik.GotoAsync(caseUrl);
        await erik.GetByRole(AriaRole.Link, new() { Name = "Plan, version 1" }).ClickAsync();
        await Expect(erik.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");
        var place = erik.Locator("input[id^='fyll-'][id$='-plats']");
        await Expect(place).ToHaveCountAsync(1);
        var activity = Regex.Match((await place.GetAttributeAsync("id"))!, "^fyll-(.+)-plats$").Groups[1].Value;
        await place.FillAsync("I hemmet");
        await erik.Locator($"#fyll-{activity}-person").FillAsync("Erik Berg");
        await erik.GetByRole(AriaRole.Button, new() { Name = "Spara aktiviteten" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Aktiviteten är sparad.");
        await AssertAccessibleAsync("plan-signed-unit", erik);

        // 10. Anna locks after confirming, and opens the print view.
        await Page.GotoAsync(planUrl);
        await Expect(Main).ToContainTextAsync("I hemmet");
        await Page.Locator("#las-enskild-namn").FillAsync("Kim Flödesson");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lås planen …" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du låsa planen?" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");
        await AssertAccessibleAsync("plan-lock-confirm");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, lås planen" }).ClickAsync();
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Låst");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Utskrift" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Samordnad individuell plan (SIP)");
        await Expect(Page.GetByTestId("aktivitet")).ToHaveCountAsync(2);
        await Expect(Main).ToContainTextAsync("vid behov");
        await Expect(Main).ToContainTextAsync("1 gång per månad");
        await Expect(Main).ToContainTextAsync("I hemmet");
        await Expect(Main).ToContainTextAsync("4. Vilken huvudman som har det övergripande ansvaret: Kommun");
        await AssertAccessibleAsync("plan-print");

        // 11. The plan is followed up: Erik reports his activity done.
        await erik.GotoAsync(caseUrl);
        await erik.GetByRole(AriaRole.Link, new() { Name = "Plan, version 1" }).ClickAsync();
        await Expect(erik.GetByTestId("planstatus")).ToHaveTextAsync("Låst");
        await erik.Locator($"#folj-{activity}-status").SelectOptionAsync("Done");
        await erik.Locator($"#folj-{activity}-kommentar").FillAsync("Boendestödet är på plats.");
        await erik.GetByRole(AriaRole.Button, new() { Name = "Spara uppföljningen" }).First.ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Uppföljningen är sparad.");
        await Expect(erik.GetByTestId("aktivitet").Filter(new() { HasText = "Boendestöd" })).ToContainTextAsync("Genomförd");
        await AssertAccessibleAsync("plan-locked-follow-up", erik);

        // 12. Anna closes the case after confirming.
        await Page.GotoAsync(caseUrl);
        await TickAsync(Page, Page.GetByLabel("Utvärderingen gjordes vid ett utvärderingsmöte"));
        await Page.GetByLabel("Vilka beslutade att avsluta").FillAsync("Kim Flödesson\nAnna Lind\nErik Berg");
        await Field(Page, "Kommentar").Last.FillAsync("Målen är nådda.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta ärendet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du avsluta ärendet?" })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("arende-status")).ToHaveTextAsync("Pågående");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avsluta ärendet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Ärendet är avslutat");
        await Expect(Page.GetByTestId("arende-status")).ToHaveTextAsync("Avslutat");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta ärendet" })).ToHaveCountAsync(0);
        await AssertAccessibleAsync("case-closed");

        // The unit's discharge (LUS) page, from the menu.
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Utskrivning (LUS)" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Utskrivning (LUS)");
        await AssertAccessibleAsync("discharge-lus");
        await erik.Context.CloseAsync();
    }

    [Fact]
    public async Task With_the_keyboard_alone_Erik_goes_from_his_inbox_to_the_case_answers_the_initiative_and_saves_his_activity_in_the_plan()
    {
        // Made through the API: a case from Norrby with an initiative to Mölndal, and a signed plan in which Boendestöd is Mölndal's.
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, await Platform.FreshMunicipalityCodeAsync(), Molndal), HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        var reference = opened.GetProperty("reference").GetString()!;
        var plans = $"api/v1/cases/{caseId}/plans";
        using (var anna = Platform.As("anna"))
        {
            await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-1), content = PlanLifeTests.Content(Boendestod, Guid.NewGuid(), "Stöttande syster") }, Ct), HttpStatusCode.Created);
            await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        }

        // Signing in: Tab to Erik's button, Enter.
        await Page.GotoAsync("/inloggning/utveckling?returnUrl=%2F");
        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Logga in som Erik Berg, socialsekreterare" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Inkorg");

        // The inbox: to the initiative, Enter; the case opens at the initiative.
        await TabToAsync(await InboxLinkAsync(Page, reference, "Initiativ att besvara", keyboard: true), atMost: 300);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync($"Ärende {reference}");
        var comment = Field(Page, "Kommentar").First;
        await TabToAsync(comment);
        await Page.Keyboard.TypeAsync("Erik Berg deltar.");
        await TabToAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Kvittera initiativet" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Initiativet är kvitterat");
        await Expect(Page.GetByTestId("initiativ").Filter(new() { HasText = MolndalName })).ToContainTextAsync("Kvitterat");

        // The plan, from the case page: Mölndal's activity filled in and saved.
        await TabToAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Plan, version 1" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Plan, version 1");
        var place = Page.Locator($"#fyll-{Boendestod}-plats");
        await TabToAsync(place);
        await Page.Keyboard.TypeAsync("I hemmet");
        // One step back with Shift+Tab to the timing, then forward again to save.
        var timing = Page.Locator($"#fyll-{Boendestod}-tidsplan");
        await TabToAsync(timing, backwards: true);
        await Page.Keyboard.PressAsync("Control+A");
        await Page.Keyboard.TypeAsync("3 gånger per vecka");
        await TabToAsync(Page.Locator($"form:has(#fyll-{Boendestod}-plats) button[type=submit]"));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Aktiviteten är sparad.");
        await Expect(Page.Locator("main")).ToContainTextAsync("I hemmet");
        await Expect(Page.Locator("main")).ToContainTextAsync("3 gånger per vecka");

        // Back to the inbox through the menu: the initiative has left it.
        await TabToAsync(Page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Inkorg" }), backwards: true, atMost: 300);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Inkorg");
        Assert.Null(await FindInInboxAsync(Page, reference, "Initiativ att besvara"));
    }

    private static readonly Guid Boendestod = Guid.NewGuid();
}
