using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Sip.EndToEnd.Tests.Browser;

/// <summary>
/// The meeting pages as staff use them: Vårdcentralen Norrby (anna) books a meeting from the case page and summons Socialtjänsten
/// Mölndal (erik), who acknowledges with attendees; anna prints the individual's letter, moves the meeting, holds it recording who
/// took part and books the next one, and cancels that one after confirming. Errors from the service appear next to their field.
/// </summary>
public sealed partial class MeetingPagesTests : PlatformPageTest
{
    private static readonly Guid Norrby = ThinSlice.VardcentralenNorrby;
    private static readonly Guid Molndal = ThinSlice.SocialtjanstenMolndal;
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A case opened by Norrby with Mölndal taking part (its initiative acknowledged), made through the API.</summary>
    private static async Task<(Guid CaseId, string Reference)> CaseWithMolndalAsync()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), Norrby, Molndal);
        var response = await ThinSlice.OpenCaseAsync(individual, await Platform.FreshMunicipalityCodeAsync(), Molndal);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var opened = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var caseId = opened.GetProperty("caseId").GetGuid();
        var initiative = opened.GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid();
        using var erik = Platform.As("erik");
        var acknowledged = await erik.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{initiative}/acknowledge", new { unitId = Molndal }, Ct);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        return (caseId, opened.GetProperty("reference").GetString()!);
    }

    /// <summary>A Stockholm date some days ahead, as a date field takes it.</summary>
    private static string DaysAhead(int days) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string SwedishDate(string isoDate) =>
        DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("sv-SE"));

    private ILocator Main => Page.Locator("main");

    [Fact]
    public async Task A_meeting_is_booked_from_the_case_acknowledged_by_the_summoned_unit_printed_moved_held_with_the_next_booked_and_that_one_cancelled()
    {
        var (caseId, reference) = await CaseWithMolndalAsync();
        await SignInAsync("anna", $"/cases/{caseId}");
        await Main.GetByRole(AriaRole.Link, new() { Name = "Boka möte" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Boka möte");
        await AssertAccessibleAsync("Boka möte");

        // Book: Mölndal is offered (and ticked) as a unit taking part; the individual gets a letter.
        var date = DaysAhead(3);
        await Main.GetByLabel("Typ av möte").SelectOptionAsync(new SelectOptionValue { Label = "SIP-möte (planering)" });
        await Main.GetByLabel("Datum").FillAsync(date);
        await Main.GetByLabel("Klockslag").FillAsync("10:00");
        await Main.GetByLabel("Längd i minuter").FillAsync("60");
        await Main.GetByLabel("Typ av plats").SelectOptionAsync(new SelectOptionValue { Label = "Mottagning" });
        await Main.GetByLabel("Adress, lokal eller länk").FillAsync("Vårdcentralen Norrby, rum 3");
        await Main.GetByLabel("Anledning till mötet").FillAsync("Planera stödet efter utskrivningen");
        await Expect(Main.GetByLabel("Socialtjänsten Mölndal, mottagning vuxen")).ToBeCheckedAsync();
        await Expect(Main.GetByLabel("Bjud in den enskilde med brev")).ToBeCheckedAsync();
        await Main.GetByLabel("Den enskildes namn i brevet").FillAsync("Kim Berg");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Boka mötet och skicka kallelser" }).ClickAsync();

        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är bokat och kallelserna är skickade.");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("SIP-möte (planering)");
        var meetingId = Guid.Parse(MeetingIdIn().Match(Page.Url).Groups[1].Value);
        var when = $"{SwedishDate(date)} kl. 10.00–11.00";
        await Expect(Main.Locator("dl.sip-facts")).ToContainTextAsync(when);
        await Expect(Page.GetByTestId("kallelse")).ToContainTextAsync("Väntar på svar");
        await Expect(Page.GetByTestId("brev")).ToContainTextAsync("Kim Berg");
        await AssertAccessibleAsync("Mötet, kallande enhet");

        // The summoned unit acknowledges, naming who comes and how.
        var erik = await SecondUserAsync("erik", $"/moten/{meetingId}");
        await erik.Locator("#deltagare-0-namn").FillAsync("Erik Berg");
        await erik.Locator("#deltagare-0-roll").FillAsync("Socialsekreterare");
        await erik.Locator("#deltagare-0-satt").SelectOptionAsync(new SelectOptionValue { Label = "Video" });
        await erik.GetByRole(AriaRole.Button, new() { Name = "Kvittera kallelsen" }).ClickAsync();
        await Expect(erik.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
        await AssertAccessibleAsync("Mötet, kallad enhet efter svar", erik);
        await Page.ReloadAsync();
        await Expect(Page.GetByTestId("kallelse")).ToContainTextAsync("Kvitterad");
        await Expect(Page.GetByTestId("kallelse")).ToContainTextAsync("Erik Berg");

        // The letter, through the app: HTML with the meeting's time and place, and a PDF.
        var letters = Page.GetByTestId("brev");
        var html = await Page.Context.APIRequest.GetAsync(await letters.GetByRole(AriaRole.Link, new() { Name = "Skriv ut (HTML), brevet till Kim Berg" }).GetAttributeAsync("href") ?? "");
        Assert.Equal(200, html.Status);
        var letterText = await html.TextAsync();
        Assert.Contains($"{SwedishDate(date)}", letterText, StringComparison.Ordinal);
        Assert.Contains("kl. 10.00–11.00", letterText, StringComparison.Ordinal);
        Assert.Contains("Vårdcentralen Norrby, rum 3", letterText, StringComparison.Ordinal);
        var pdf = await Page.Context.APIRequest.GetAsync(await letters.GetByRole(AriaRole.Link, new() { Name = "PDF, brevet till Kim Berg" }).GetAttributeAsync("href") ?? "");
        Assert.Equal(200, pdf.Status);
        Assert.StartsWith("application/pdf", pdf.Headers["content-type"], StringComparison.Ordinal);
        var ics = await Page.Context.APIRequest.GetAsync(await Main.GetByRole(AriaRole.Link, new() { Name = "Lägg till i kalendern (.ics)" }).GetAttributeAsync("href") ?? "");
        Assert.Equal(200, ics.Status);
        Assert.Contains("BEGIN:VCALENDAR", await ics.TextAsync(), StringComparison.Ordinal);

        // Move it to the afternoon.
        await Main.GetByRole(AriaRole.Link, new() { Name = "Flytta mötet" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Flytta mötet");
        await Expect(Main.GetByLabel("Adress, lokal eller länk")).ToHaveValueAsync("Vårdcentralen Norrby, rum 3");
        await AssertAccessibleAsync("Flytta mötet");
        await Main.GetByLabel("Klockslag").FillAsync("13:30");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Flytta mötet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är flyttat.");
        await Expect(Main.Locator("dl.sip-facts")).ToContainTextAsync($"{SwedishDate(date)} kl. 13.30–14.30");

        // Hold it: the individual's row and Mölndal's attendee are there; the next meeting is booked at the meeting.
        await Main.GetByRole(AriaRole.Link, new() { Name = "Registrera mötet och boka nästa" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Registrera mötet");
        await Expect(Main.Locator("#deltagare-1-namn")).ToHaveValueAsync("Erik Berg");
        await AssertAccessibleAsync("Registrera mötet");
        await Main.Locator("#deltagare-0-namn").FillAsync("Kim Berg");
        await Main.Locator("#deltagare-2-namn").FillAsync("Anna Lind");
        var nextDate = DaysAhead(30);
        await Main.GetByLabel("Datum").FillAsync(nextDate);
        await Main.GetByLabel("Klockslag").FillAsync("09:00");
        await Main.GetByLabel("Anledning till mötet").FillAsync("Följa upp planen");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Registrera mötet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är registrerat som hållet.");
        await Expect(Page.GetByTestId("deltog")).ToContainTextAsync("Kim Berg, Den enskilde (på plats)");
        await Expect(Page.GetByTestId("deltog")).ToContainTextAsync("Erik Berg, Socialsekreterare, Socialtjänsten Mölndal, mottagning vuxen (video)");

        // The next meeting, then cancelled after confirming.
        await Main.GetByRole(AriaRole.Link, new() { Name = "Nästa möte" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Uppföljningsmöte");
        await Expect(Main.Locator("dl.sip-facts")).ToContainTextAsync($"{SwedishDate(nextDate)} kl. 09.00–10.00");
        await Main.GetByRole(AriaRole.Link, new() { Name = "Ställ in mötet" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ställ in mötet");
        await Expect(Main).ToContainTextAsync("Vill du ställa in mötet?");
        await AssertAccessibleAsync("Ställ in mötet");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Ja, ställ in mötet" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är inställt.");
        await Expect(Main.Locator(".sip-lead .badge")).ToHaveTextAsync("Inställt");

        // The case page lists both meetings.
        await Page.GotoAsync($"/cases/{caseId}");
        await Expect(Main).ToContainTextAsync(reference);
        await Expect(Main.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^SIP-möte \\(planering\\)") })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_services_refusals_appear_next_to_their_field_and_what_was_typed_stays()
    {
        var (caseId, _) = await CaseWithMolndalAsync();
        await SignInAsync("anna", $"/cases/{caseId}/moten/ny");

        // Booking in the past: the service's words at the time field; the reason typed is kept.
        await Main.GetByLabel("Datum").FillAsync(DaysAhead(-1));
        await Main.GetByLabel("Klockslag").FillAsync("10:00");
        await Main.GetByLabel("Adress, lokal eller länk").FillAsync("Rum 3");
        await Main.GetByLabel("Anledning till mötet").FillAsync("Planera stödet, tidigt skrivet");
        await Main.GetByText("Inget brev nu").ClickAsync(); // FKUI draws the radio on the label, which is what a person clicks
        await Expect(Main.GetByLabel("Inget brev nu")).ToBeCheckedAsync();
        await Main.GetByRole(AriaRole.Button, new() { Name = "Boka mötet och skicka kallelser" }).ClickAsync();
        var dateField = Main.GetByLabel("Datum");
        await Expect(dateField).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(Main.Locator("label[for=datum]")).ToContainTextAsync("Tiden har redan passerat");
        await Expect(Main.GetByLabel("Anledning till mötet")).ToHaveValueAsync("Planera stödet, tidigt skrivet");
        await Expect(Main.GetByLabel("Adress, lokal eller länk")).ToHaveValueAsync("Rum 3");
        await AssertAccessibleAsync("Boka möte med fel");

        // Booked; then a letter without a name: at the name field.
        await Main.GetByLabel("Datum").FillAsync(DaysAhead(4));
        await Main.GetByRole(AriaRole.Button, new() { Name = "Boka mötet och skicka kallelser" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är bokat");
        await Main.Locator("#brev-mottagare").SelectOptionAsync(new SelectOptionValue { Label = "Skola" });
        await Main.Locator("#brev-adress").FillAsync("Skolgatan 1\n431 30 Mölndal");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Lägg till brevet" }).ClickAsync();
        await Expect(Main.Locator("label[for=brev-namn]")).ToContainTextAsync("Ange mottagarens namn");
        await Expect(Main.Locator("#brev-adress")).ToHaveValueAsync("Skolgatan 1\n431 30 Mölndal");
        await Expect(Main.Locator("#brev-mottagare")).ToHaveValueAsync("School");
        await AssertAccessibleAsync("Brev med fel");
        var meetingId = MeetingIdIn().Match(Page.Url).Groups[1].Value;

        // Moving to a clinic with no address: at the place field, the new time kept.
        await Page.GotoAsync($"/moten/{meetingId}/flytta");
        await Main.GetByLabel("Klockslag").FillAsync("15:15");
        await Main.GetByLabel("Adress, lokal eller länk").FillAsync("");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Flytta mötet" }).ClickAsync();
        await Expect(Main.Locator("label[for=plats]")).ToContainTextAsync("Ange platsen");
        await Expect(Main.GetByLabel("Klockslag")).ToHaveValueAsync("15:15");
        await AssertAccessibleAsync("Flytta mötet med fel");

        // Holding it with someone not present and no word of how they are informed: at the participants.
        await Page.GotoAsync($"/moten/{meetingId}/registrera");
        await Main.Locator("#deltagare-0-namn").FillAsync("Kim Berg");
        await Main.Locator("#deltagare-0-satt").SelectOptionAsync(new SelectOptionValue { Label = "Deltar inte" });
        await Main.GetByText("Boka nästa möte nu").ClickAsync();
        await Expect(Main.GetByLabel("Boka nästa möte nu")).Not.ToBeCheckedAsync();
        await Main.GetByRole(AriaRole.Button, new() { Name = "Registrera mötet" }).ClickAsync();
        await Expect(Main.Locator("#deltagare-fel")).ToContainTextAsync("Ange hur personen informeras");
        await Expect(Main.Locator("#deltagare-0-namn")).ToHaveValueAsync("Kim Berg");
        await Expect(Main.Locator("#deltagare-0-information")).ToBeFocusedAsync();
        await Expect(Main.Locator("#deltagare-0-information")).ToHaveAttributeAsync("aria-invalid", "true");
        await AssertAccessibleAsync("Registrera mötet med fel");
    }

    [Fact]
    public async Task A_unit_administrator_makes_a_calendar_subscription_from_the_menu_and_closes_it_after_confirming()
    {
        await SignInAsync("ulla");
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Kalender" }).ClickAsync();
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Kalenderprenumeration");
        await AssertAccessibleAsync("Kalenderprenumeration");

        await Main.GetByRole(AriaRole.Button, new() { Name = "Skapa ny adress: Hemtjänsten Mölndal" }).ClickAsync();
        var address = Page.GetByTestId("prenumeration");
        await Expect(address).ToContainTextAsync("/api/v1/meetings/feeds/");
        var path = new Uri(await address.InnerTextAsync()).AbsolutePath;
        using var anonymous = new HttpClient { BaseAddress = Platform.Gateway };
        var feed = await anonymous.GetAsync(path.TrimStart('/'), Ct);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Contains("BEGIN:VCALENDAR", await feed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertAccessibleAsync("Kalenderprenumeration skapad");

        await Main.GetByRole(AriaRole.Button, new() { Name = "Stäng prenumerationen: Hemtjänsten Mölndal" }).ClickAsync();
        await Expect(Main).ToContainTextAsync("Vill du stänga prenumerationen?");
        await AssertAccessibleAsync("Stäng kalenderprenumeration");
        await Main.GetByRole(AriaRole.Button, new() { Name = "Ja, stäng prenumerationen" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Prenumerationen är stängd.");
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(path.TrimStart('/'), Ct)).StatusCode);

        // Staff who administer no unit get no menu item.
        var erik = await SecondUserAsync("erik");
        await Expect(erik.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Kalender" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_organiser_adds_a_letter_and_cancels_with_the_keyboard_alone_seeing_where_focus_is_and_the_forms_fit_a_narrow_screen()
    {
        var (caseId, _) = await CaseWithMolndalAsync();
        using var anna = Platform.As("anna");
        var booked = await anna.PostAsJsonAsync("api/v1/meetings", new
        {
            caseId, unitId = Norrby, kind = "Planning", startsAt = DateTimeOffset.UtcNow.AddDays(5), durationMinutes = 60,
            place = new { type = "Clinic", details = "Rum 3" }, chair = new { name = "Anna Lind" }, coordinator = new { name = "Anna Lind", unitId = Norrby },
            reason = "Planera stödet", summonedUnitIds = new[] { Molndal },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var meetingId = (await booked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("meeting").GetProperty("meetingId").GetGuid();

        // 320 CSS pixels (400 % zoom of a 1280 wide window): no sideways scrolling on the forms.
        await SignInAsync("anna", $"/cases/{caseId}/moten/ny");
        await Page.SetViewportSizeAsync(320, 800);
        foreach (var path in new[] { $"/cases/{caseId}/moten/ny", $"/moten/{meetingId}/registrera", $"/moten/{meetingId}/flytta", $"/moten/{meetingId}" })
        {
            await Page.GotoAsync(path);
            Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), $"{path} scrolls sideways at 320 px");
        }
        await Page.SetViewportSizeAsync(1280, 800);
        await Page.GotoAsync($"/moten/{meetingId}");

        await TabToAsync(Main.Locator("#brev-mottagare"));
        await Page.Keyboard.PressAsync("End"); // the last kind of recipient: another
        await TabToAsync(Main.Locator("#brev-namn"));
        await Page.Keyboard.TypeAsync("Lars Berg, god man");
        await TabToAsync(Main.GetByRole(AriaRole.Button, new() { Name = "Lägg till brevet" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Brevet är tillagt.");
        await Expect(Page.GetByTestId("brev")).ToContainTextAsync("Lars Berg, god man (annan mottagare)");

        await TabToAsync(Main.GetByRole(AriaRole.Link, new() { Name = "Ställ in mötet" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Ställ in mötet");
        await TabToAsync(Main.GetByRole(AriaRole.Button, new() { Name = "Ja, ställ in mötet" }));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Mötet är inställt.");
    }

    [GeneratedRegex(@"/moten/([0-9a-f-]{36})")]
    private static partial Regex MeetingIdIn();
}
