using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Sip.EndToEnd.Tests.Api;

namespace Sip.EndToEnd.Tests.Browser;

/// <summary>The plan pages: a version written, signed, filled in by each unit, locked, printed, followed up, compared and closed.</summary>
public sealed class PlanPagesTests : PlatformPageTest
{
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A case between Vårdcentralen Norrby (Anna) and Socialtjänsten Mölndal (Erik), through the API.</summary>
    private static async Task<Guid> CaseAsync()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        var opened = await JsonAsync(await ThinSlice.OpenCaseAsync(individual, await Platform.FreshMunicipalityCodeAsync(), Molndal), HttpStatusCode.Created);
        return opened.GetProperty("caseId").GetGuid();
    }

    /// <summary>Version 1 written and signed by Anna through the API: Boendestöd is Mölndal's, Stödsamtal Norrby's.</summary>
    private static async Task<(Guid CaseId, Guid Boendestod, Guid Samtal)> SignedPlanAsync()
    {
        var caseId = await CaseAsync();
        var plans = $"api/v1/cases/{caseId}/plans";
        using var anna = Platform.As("anna");
        var (boendestod, samtal) = (Guid.NewGuid(), Guid.NewGuid());
        await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-2) }, Ct), HttpStatusCode.Created);
        var etag = (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString();
        await JsonAsync(await PutAsync(anna, $"{plans}/1", new { unitId = Norrby, content = PlanLifeTests.Content(boendestod, samtal, "Stöttande syster") }, etag), HttpStatusCode.OK);
        await JsonAsync(await anna.PostAsJsonAsync($"{plans}/1/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        return (caseId, boendestod, samtal);
    }

    private static string PlanUrl(Guid caseId, int version, Guid unit) => $"/cases/{caseId}/plans/{version}?enhet={unit}";

    [Fact]
    public async Task A_coordinator_writes_a_version_in_real_terms_signs_it_locks_it_after_confirming_and_the_print_view_shows_it()
    {
        var caseId = await CaseAsync();
        await SignInAsync("anna", $"/cases/{caseId}?enhet={Norrby}");
        await Expect(Page.GetByText("Ingen plan är upprättad ännu.")).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = "Ny planversion" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ny planversion");
        await AssertAccessibleAsync("Ny planversion");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Upprätta planversionen" }).ClickAsync();

        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Plan, version 1");
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Utkast");
        await Page.Locator("#plan-samordnare").FillAsync("Anna Lind");
        await Page.Locator("#deltagare-0-namn").FillAsync("Kim Berg");
        await Page.Locator("#deltagare-0-roll").FillAsync("Den enskilde");
        // Kim's sister was not at the meeting, and how she is informed is not written yet: the service says so.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lägg till deltagare" }).ClickAsync();
        await Page.Locator("#deltagare-1-namn").FillAsync("Systern");
        await Page.Locator("#deltagare-1-satt").SelectOptionAsync("NotPresent");
        await Page.Locator("#plan-langsiktiga-mal").FillAsync("Att bo kvar hemma och må bra");
        await Page.Locator("#delmal-0-text").FillAsync("Stabil vardag");
        await Page.Locator("#aktivitet-0-0-vad").FillAsync("Stödsamtal");
        await Page.Locator("#aktivitet-0-0-enhet").SelectOptionAsync(new SelectOptionValue { Label = "Vårdcentralen Norrby" });
        await Page.Locator("#aktivitet-0-0-huvudman").SelectOptionAsync("Region");
        await Page.Locator("#aktivitet-0-0-tidsplan").FillAsync("vid behov");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lägg till aktivitet i delmål 1" }).ClickAsync();
        await Page.Locator("#aktivitet-0-1-vad").FillAsync("Boendestöd");
        await Page.Locator("#aktivitet-0-1-enhet").SelectOptionAsync(new SelectOptionValue { Label = "Socialtjänsten Mölndal, mottagning vuxen" });
        await Page.Locator("#aktivitet-0-1-huvudman").SelectOptionAsync("Municipality");
        await Page.Locator("#aktivitet-0-1-tidsplan").FillAsync("1 gång per månad, start efter informationsmötet");
        await Page.Locator("label[for=plan-inga-andra]").ClickAsync();
        await Page.Locator("label[for=plan-ansvar-Municipality]").ClickAsync();
        await Page.Locator("#uppfoljning-datum").FillAsync("2027-03-15");
        await Page.Locator("#uppfoljning-kallar").FillAsync("Anna Lind");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara utkastet" }).ClickAsync();

        await Expect(Page.Locator("#deltagare-fel")).ToContainTextAsync("Ange hur personen informeras");
        await Expect(Page.Locator("#deltagare-1-informeras")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Page.Locator("#aktivitet-0-1-tidsplan")).ToHaveValueAsync("1 gång per månad, start efter informationsmötet");
        await Expect(Page.Locator("#deltagare-1-namn")).ToHaveValueAsync("Systern");
        await AssertAccessibleAsync("Planutkast med fel");
        await Page.Locator("#deltagare-1-informeras").FillAsync("Genom Kim");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara utkastet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Utkastet är sparat.");
        await Expect(Page.Locator("#aktivitet-0-0-tidsplan")).ToHaveValueAsync("vid behov");
        await Expect(Page.GetByText("Det senast sparade utkastet besvarar lagens fyra punkter.")).ToBeVisibleAsync();
        await AssertAccessibleAsync("Planutkast");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Signera planen" }).ClickAsync();
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");
        await AssertAccessibleAsync("Signerad plan");

        // Locking is confirmed on a second step, reached and done with the keyboard alone.
        await Page.Locator("#las-enskild-namn").FillAsync("Kim Berg");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Lås planen …" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du låsa planen?" })).ToBeVisibleAsync();
        await AssertAccessibleAsync("Lås planen, bekräfta");
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Ja, lås planen" })).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Låst");
        await Expect(Page.GetByText("Kim Berg, Underskrift på papper")).ToBeVisibleAsync();

        await Page.GetByRole(AriaRole.Link, new() { Name = "Utskrift" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Samordnad individuell plan (SIP)");
        await Expect(Page.GetByTestId("aktivitet")).ToHaveCountAsync(2);
        await Expect(Page.Locator("main")).ToContainTextAsync("1 gång per månad, start efter informationsmötet");
        await Expect(Page.Locator("main")).ToContainTextAsync("4. Vilken huvudman som har det övergripande ansvaret: Kommun");
        await Page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(Page.Locator(".sip-header")).ToBeHiddenAsync();
        await Page.EmulateMediaAsync(new() { Media = Media.Screen });
        await AssertAccessibleAsync("Utskrift av plan");
    }

    [Fact]
    public async Task A_locked_version_downloads_as_a_PDF_through_the_app_from_the_plan_page_and_the_print_view()
    {
        var (caseId, _, _) = await SignedPlanAsync();
        await SignInAsync("anna", PlanUrl(caseId, 1, Norrby));
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");
        // Only a locked version is printed: a signed one can still change.
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Ladda ner som PDF" })).ToHaveCountAsync(0);
        var notLocked = await Page.Context.APIRequest.GetAsync($"/cases/{caseId}/plans/1/pdf?enhet={Norrby}");
        Assert.Equal(409, notLocked.Status);
        Assert.Contains("Bara en låst plan skrivs ut", await notLocked.TextAsync(), StringComparison.Ordinal);

        var plans = $"api/v1/cases/{caseId}/plans";
        using var anna = Platform.As("anna");
        await JsonAsync(await PlanLifeTests.LockAsync(anna, plans, (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString()), HttpStatusCode.OK);
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("planstatus")).ToHaveTextAsync("Låst");

        var onPlanPage = await Page.GetByRole(AriaRole.Link, new() { Name = "Ladda ner som PDF" }).GetAttributeAsync("href") ?? "";
        Assert.DoesNotContain("api/v1", onPlanPage, StringComparison.Ordinal);
        await AssertPdfAsync(onPlanPage);
        await Page.GetByRole(AriaRole.Link, new() { Name = "Utskrift" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Samordnad individuell plan (SIP)");
        await AssertPdfAsync(await Page.GetByRole(AriaRole.Link, new() { Name = "Ladda ner som PDF" }).GetAttributeAsync("href") ?? "");
        await AssertAccessibleAsync("Utskrift av låst plan");
    }

    /// <summary>The app passes the case service's PDF on with the person's session: the browser never holds a token.</summary>
    private async Task AssertPdfAsync(string href)
    {
        var pdf = await Page.Context.APIRequest.GetAsync(href);
        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("application/pdf", pdf.Headers["content-type"], StringComparison.Ordinal);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await pdf.BodyAsync())[..4]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_units_fill_in_the_same_signed_version_and_the_second_to_save_sees_who_changed_what_with_their_text_kept()
    {
        var (caseId, boendestod, samtal) = await SignedPlanAsync();
        await SignInAsync("anna", PlanUrl(caseId, 1, Norrby));
        var erik = await SecondUserAsync("erik", PlanUrl(caseId, 1, Molndal));
        await Expect(erik.GetByTestId("planstatus")).ToHaveTextAsync("Signerad");

        // Both have the plan open; Anna fills in Norrby's activity and saves first.
        await Page.Locator($"#fyll-{samtal}-person").FillAsync("Anna Lind, kurator Per Ek");
        await erik.Locator($"#fyll-{boendestod}-plats").FillAsync("I hemmet");
        await erik.Locator($"#fyll-{boendestod}-tidsplan").FillAsync("2 gånger per vecka, tisdag och fredag");
        await Page.Locator($"#fyll-{samtal}-person").PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Aktiviteten är sparad.");

        await erik.Locator($"#fyll-{boendestod}-plats").PressAsync("Enter");
        var conflict = erik.Locator($"#konflikt-{boendestod}");
        await Expect(conflict).ToContainTextAsync("Planen har ändrats av någon annan");
        await Expect(conflict).ToContainTextAsync("Anna Lind, distriktssköterska sparade en ändring");
        await Expect(conflict.GetByTestId("konflikt")).ToContainTextAsync("Delmål 1 › Aktivitet 2 › Ansvarig person");
        await Expect(conflict.GetByTestId("konflikt")).ToContainTextAsync("Anna Lind, kurator Per Ek");
        await Expect(erik.Locator($"#fyll-{boendestod}-plats")).ToHaveValueAsync("I hemmet");
        await Expect(erik.Locator($"#fyll-{boendestod}-tidsplan")).ToHaveValueAsync("2 gånger per vecka, tisdag och fredag");
        await AssertAccessibleAsync("Plankonflikt", erik);

        // Having seen it, Erik saves again: his activity goes in, and Anna's stays.
        await erik.GetByRole(AriaRole.Button, new() { Name = "Spara aktiviteten" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Aktiviteten är sparad.");
        await Page.ReloadAsync();
        await Expect(Page.Locator("main")).ToContainTextAsync("2 gånger per vecka, tisdag och fredag");
        await Expect(Page.Locator("main")).ToContainTextAsync("Anna Lind, kurator Per Ek");
        await erik.Context.CloseAsync();
    }

    [Fact]
    public async Task A_unit_follows_up_its_activity_versions_are_compared_and_the_coordinator_closes_after_confirming()
    {
        var (caseId, boendestod, _) = await SignedPlanAsync();
        var plans = $"api/v1/cases/{caseId}/plans";
        using var anna = Platform.As("anna");
        var etag = (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString();
        await JsonAsync(await PlanLifeTests.LockAsync(anna, plans, etag), HttpStatusCode.OK);

        var erik = await SecondUserAsync("erik", PlanUrl(caseId, 1, Molndal));
        await erik.Locator($"#folj-{boendestod}-status").SelectOptionAsync("Ongoing");
        await erik.Locator($"#folj-{boendestod}-kommentar").FillAsync("Startade måndag, går bra.");
        await erik.GetByRole(AriaRole.Button, new() { Name = "Spara uppföljningen" }).First.ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToContainTextAsync("Uppföljningen är sparad.");
        var activity = erik.GetByTestId("aktivitet").Filter(new() { HasText = "Boendestöd" });
        await Expect(activity).ToContainTextAsync("Pågår");
        await activity.GetByText("Uppföljningar (1)").ClickAsync();
        await Expect(activity).ToContainTextAsync("Startade måndag, går bra.");
        await AssertAccessibleAsync("Låst plan med uppföljning", erik);
        await erik.Context.CloseAsync();

        // The next meeting: version 2, copied forward, with new strengths.
        await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddMinutes(-30) }, Ct), HttpStatusCode.Created);
        var v2 = await anna.GetAsync($"{plans}/2?unitId={Norrby}", Ct);
        var content = (await JsonAsync(v2, HttpStatusCode.OK)).GetProperty("content");
        var edited = System.Text.Json.Nodes.JsonNode.Parse(content.GetRawText())!;
        edited["strengths"] = "Tycker om musik";
        await JsonAsync(await PutAsync(anna, $"{plans}/2", new { unitId = Norrby, content = edited }, v2.Headers.ETag!.ToString()), HttpStatusCode.OK);
        await JsonAsync(await anna.PostAsJsonAsync($"{plans}/2/sign", new { unitId = Norrby }, Ct), HttpStatusCode.OK);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var lockV2 = new HttpRequestMessage(HttpMethod.Post, $"{plans}/2/lock")
        {
            Content = JsonContent.Create(new
            {
                unitId = Norrby,
                individualSignature = new { signedBy = "Kim Berg", how = "Underskrift på papper", signedOn = today },
                coordinatorSignature = new { signedBy = "Anna Lind", how = "Underskrift på papper", signedOn = today },
            }),
        };
        lockV2.Headers.IfMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Parse((await anna.GetAsync($"{plans}/2?unitId={Norrby}", Ct)).Headers.ETag!.ToString()));
        await JsonAsync(await anna.SendAsync(lockV2, Ct), HttpStatusCode.OK);

        await SignInAsync("anna", $"/cases/{caseId}?enhet={Norrby}");
        var versions = Page.GetByTestId("planversioner");
        await Expect(versions.Locator("li")).ToHaveCountAsync(2);
        await Expect(versions).ToContainTextAsync("Ersatt");
        await AssertAccessibleAsync("Ärende med planversioner");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Jämför de två senaste versionerna" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Jämför planversioner");
        var row = Page.GetByTestId("jamforelse").Locator("tr").Filter(new() { HasText = "Styrkor" });
        await Expect(row).ToContainTextAsync("Stöttande syster");
        await Expect(row).ToContainTextAsync("Tycker om musik");
        await AssertAccessibleAsync("Jämför planversioner");

        await Page.GotoAsync(PlanUrl(caseId, 2, Norrby));
        await Page.GetByLabel("Vilka som deltog i beslutet att avsluta").FillAsync("Kim Berg\nAnna Lind\nErik Berg");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta SIP-arbetet …" }).ClickAsync();
        // Nothing is closed without a comment: the service says so next to the fields, and the names typed stay.
        await Expect(Page.Locator("#avsluta-falt-fel")).ToContainTextAsync("Ange vilka som beslutade och varför");
        await Expect(Page.GetByLabel("Vilka som deltog i beslutet att avsluta")).ToHaveValueAsync("Kim Berg\nAnna Lind\nErik Berg");
        await Page.GetByLabel("Utvärdering och kommentar").FillAsync("Målen är nådda; Kim klarar vardagen.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta SIP-arbetet …" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Vill du avsluta SIP-arbetet?" })).ToBeVisibleAsync();
        await AssertAccessibleAsync("Avsluta, bekräfta");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Ja, avsluta" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("SIP-arbetet är utvärderat och avslutat.");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Avsluta SIP-arbetet …" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Two_people_writing_the_same_draft_the_second_to_save_sees_what_the_first_saved_next_to_their_own_text()
    {
        var caseId = await CaseAsync();
        var plans = $"api/v1/cases/{caseId}/plans";
        using var anna = Platform.As("anna");
        await JsonAsync(await anna.PostAsJsonAsync(plans, new { unitId = Norrby, meetingAt = DateTimeOffset.UtcNow.AddHours(-1) }, Ct), HttpStatusCode.Created);
        var etag = (await anna.GetAsync($"{plans}/1?unitId={Norrby}", Ct)).Headers.ETag!.ToString();
        await JsonAsync(await PutAsync(anna, $"{plans}/1", new { unitId = Norrby, content = PlanLifeTests.Content(Guid.NewGuid(), Guid.NewGuid(), "Stöttande syster") }, etag), HttpStatusCode.OK);

        await SignInAsync("anna", PlanUrl(caseId, 1, Norrby));
        var colleague = await SecondUserAsync("anna", PlanUrl(caseId, 1, Norrby));
        await Page.Locator("#plan-styrkor").FillAsync("Tycker om musik");
        await colleague.Locator("#plan-nulage").FillAsync("Har flyttat till ett boende med stöd.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Spara utkastet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Utkastet är sparat.");

        await colleague.GetByRole(AriaRole.Button, new() { Name = "Spara utkastet" }).ClickAsync();
        var conflict = colleague.Locator("#plan-konflikt");
        await Expect(conflict).ToContainTextAsync("Anna Lind, distriktssköterska sparade en ändring");
        var row = conflict.Locator("tr").Filter(new() { HasText = "Styrkor" });
        await Expect(row).ToContainTextAsync("Tycker om musik");
        await Expect(row).ToContainTextAsync("Stöttande syster");
        await Expect(colleague.Locator("#plan-nulage")).ToHaveValueAsync("Har flyttat till ett boende med stöd.");
        await AssertAccessibleAsync("Konflikt i utkastet", colleague);
        // WCAG 1.4.10: at 320 CSS px (400 % zoom) the draft reflows; only data tables scroll, inside their own box.
        await colleague.SetViewportSizeAsync(320, 800);
        var wide = await colleague.EvaluateAsync<string[]>("""
            [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.parentElement.closest('.table__scroll'))
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right))
            """);
        Assert.Empty(wide);
        await colleague.Context.CloseAsync();
    }
}
