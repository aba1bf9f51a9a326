using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// Plans written as the SKR guide's examples write them (issue 18), through the case service's API on its real database
/// and broker: measures by a relative, a guardian and the individual, a child not present, a conditional follow-up, and
/// units named responsible that did not take part in the case; and the locked plan printed as a PDF (issue 12).
/// </summary>
public sealed class PlansAsWrittenTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Units and staff of the test's own, so tests sharing the host do not see each other's.</summary>
    private sealed record Scene(Guid CaseId, Guid InitiativeId, Guid Bvc, Guid Socialtjanst, Guid Hemtjanst, Guid Partille, HttpClient Nurse, HttpClient Social,
        HttpClient HomeCare) : IDisposable
    {
        public string Plans => $"api/v1/cases/{CaseId}/plans";

        public void Dispose()
        {
            Nurse.Dispose();
            Social.Dispose();
            HomeCare.Dispose();
        }
    }

    /// <summary>A child health centre opens a case with an initiative to social services; home care and Partille are in the directory only.</summary>
    private async Task<Scene> OpenCaseAsync()
    {
        host.Clock.Now = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));
        var (bvc, social, homeCare, partille) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var admin = host.As("directory-admin");
        foreach (var (unit, name, principal) in new[]
                 {
                     (bvc, "BVC Väster", "Region"), (social, "Socialtjänsten Väster", "Municipality"), (homeCare, "Hemtjänsten Väster", "Municipality"),
                     (partille, "Socialtjänsten Partille Test", "Municipality"),
                 })
        {
            await (await admin.PutAsJsonAsync($"api/v1/cases/units/{unit}", new { name, principal, municipalityCode = "1481" }, Ct)).JsonAsync(HttpStatusCode.OK);
        }
        foreach (var (subject, unit) in new[] { ($"nurse-{tag}", bvc), ($"social-{tag}", social), ($"homecare-{tag}", homeCare) })
        {
            await (await admin.PutAsJsonAsync("api/v1/cases/staff", new
            {
                subject,
                name = "Test Testsson",
                memberships = new[] { new { unitId = unit, roles = new[] { "staff" } } },
            }, Ct)).JsonAsync(HttpStatusCode.OK);
        }
        var nurse = host.As($"nurse-{tag}", bvc);
        var opened = await (await nurse.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = Guid.NewGuid(),
            actingUnitId = bvc,
            municipalityCode = "1481",
            reason = "Barnet behöver samordnat stöd från BVC och socialtjänsten.",
            urgency = "Normal",
            initiativeUnitIds = new[] { social },
        }, Ct)).JsonAsync(HttpStatusCode.Created);
        return new Scene(opened.GetProperty("caseId").GetGuid(), opened.GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid(), bvc, social, homeCare, partille,
            nurse, host.As($"social-{tag}", social), host.As($"homecare-{tag}", homeCare));
    }

    private static object Activity(Guid id, string what, string kind, Guid? unit = null, string? principal = null, string? person = null) =>
        new { id, what, responsibleKind = kind, responsibleUnitId = unit, principal, responsiblePerson = person };

    /// <summary>A plan that answers the law's four points, coordinated by the child health centre, with <paramref name="activities"/> under one goal.</summary>
    private static Dictionary<string, object?> Content(Scene s, object[] activities, object[]? participants = null, object? nextFollowUp = null) => new()
    {
        ["participants"] = participants ?? [],
        ["fixedCareContacts"] = Array.Empty<string>(),
        ["longTermGoals"] = new[] { "Må bra hemma och i skolan" },
        ["shortTermGoals"] = new[] { new { id = Guid.NewGuid(), text = "Trygg vardag", activities } },
        ["disagreements"] = Array.Empty<string>(),
        ["coordinator"] = "Anna Test",
        ["coordinatorUnitId"] = s.Bvc,
        ["overallResponsibility"] = "Region",
        ["nextFollowUp"] = nextFollowUp,
    };

    private async Task<JsonElement> CreateAsync(Scene s, object content, HttpStatusCode expected) =>
        await (await s.Nurse.PostAsJsonAsync(s.Plans, new { unitId = s.Bvc, meetingAt = host.Clock.Now.AddHours(-2), content }, Ct)).JsonAsync(expected);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string uri, object body, string etag)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request, Ct);
    }

    private static async Task<string> ETagAsync(HttpClient client, string uri)
    {
        using var read = await client.GetAsync(uri, Ct);
        await read.JsonAsync(HttpStatusCode.OK);
        return read.Headers.ETag!.Tag;
    }

    [Fact]
    public async Task A_relatives_a_guardians_and_the_individuals_own_measures_sign_without_a_principal_and_print_who_does_them_in_what_role()
    {
        using var s = await OpenCaseAsync();
        var content = Content(s,
        [
            Activity(Guid.NewGuid(), "Hembesök", "Unit", s.Bvc, "Region", "Anna Test"),
            Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", person: "Pappa"),
            Activity(Guid.NewGuid(), "Följer med till BUP", "Guardian", person: "Lena Berg (mamma)"),
            Activity(Guid.NewGuid(), "Tar sin medicin varje kväll", "Individual"),
            // An unaccompanied minor's god man acts in the guardian's place and is printed as what he is (issue 13).
            Activity(Guid.NewGuid(), "Följer med till tandläkaren", "GodMan", person: "Ali Hassan"),
        ]);
        await CreateAsync(s, content, HttpStatusCode.Created);

        var signed = await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Signed", signed.GetProperty("status").GetString());
        Assert.Empty(signed.GetProperty("missingLegalPoints").EnumerateArray());
        var html = await LockAndPrintAsync(s);

        Assert.Contains("<td>Pappa ringer dagligen</td><td>Närstående: Pappa</td><td><span class=\"empty\">–</span></td>", html);
        Assert.Contains("<td>Följer med till BUP</td><td>Vårdnadshavare: Lena Berg (mamma)</td><td><span class=\"empty\">–</span></td>", html);
        Assert.Contains("<td>Tar sin medicin varje kväll</td><td>Den enskilde</td><td><span class=\"empty\">–</span></td>", html);
        Assert.Contains("<td>Följer med till tandläkaren</td><td>God man: Ali Hassan</td><td><span class=\"empty\">–</span></td>", html);
        Assert.Contains("<td>Hembesök</td><td>BVC Väster, Anna Test</td><td>Region</td>", html);
        Assert.DoesNotContain("Annan", html);
    }

    [Fact]
    public async Task A_locked_plan_prints_to_a_PDF_of_the_print_view_that_is_audited_and_a_unit_outside_the_case_does_not_find()
    {
        using var s = await OpenCaseAsync();
        await CreateAsync(s, Content(s, [Activity(Guid.NewGuid(), "Hembesök", "Unit", s.Bvc, "Region", "Anna Test"), Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", person: "Pappa")]),
            HttpStatusCode.Created);
        await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.OK);
        var notLocked = await (await s.Nurse.GetAsync($"{s.Plans}/1/pdf?unitId={s.Bvc}", Ct)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("urn:sip:problem:plan-not-locked", notLocked.GetProperty("type").GetString());
        await LockAndPrintAsync(s);

        using var pdf = await s.Nurse.GetAsync($"{s.Plans}/1/pdf?unitId={s.Bvc}", Ct);

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("-version-1.pdf", pdf.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var bytes = await pdf.Content.ReadAsByteArrayAsync(Ct);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4), StringComparison.Ordinal);
        using (var document = UglyToad.PdfPig.PdfDocument.Open(bytes))
        {
            var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains("Pappa ringer dagligen", text, StringComparison.Ordinal);
            Assert.Contains("19121212-1212", text, StringComparison.Ordinal);
        }
        var audited = await host.QueryAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.CaseId == s.CaseId && a.Action == "plan.printed-pdf").ToListAsync(Ct));
        Assert.Equal(s.Bvc, Assert.Single(audited).ActorUnitId);

        // Home care is in the directory but not in the case: for it there is no such plan, as for /print.
        foreach (var path in new[] { "print", "pdf" })
        {
            var hidden = await (await s.HomeCare.GetAsync($"{s.Plans}/1/{path}?unitId={s.Hemtjanst}", Ct)).JsonAsync(HttpStatusCode.NotFound);
            Assert.Equal("urn:sip:problem:not-found", hidden.GetProperty("type").GetString());
        }
    }

    [Fact]
    public async Task A_unit_measure_without_a_principal_still_cannot_be_signed()
    {
        using var s = await OpenCaseAsync();
        await CreateAsync(s, Content(s, [Activity(Guid.NewGuid(), "Hembesök", "Unit", s.Bvc), Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", person: "Pappa")]),
            HttpStatusCode.Created);

        var refused = await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("urn:sip:problem:plan-incomplete", refused.GetProperty("type").GetString());
        Assert.Contains("1 aktivitet(er) saknar huvudman eller ansvarig enhet (\"Hembesök\")", refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_child_not_present_is_a_participant_with_how_they_are_informed_and_a_follow_up_has_a_condition_beside_its_date()
    {
        using var s = await OpenCaseAsync();
        object[] Participants(string? howInformed) =>
        [
            new { name = "Kim Berg", role = "Den enskilde (barnet)", participation = "NotPresent", howInformed },
            new { name = "Anna Test", role = "BVC-sjuksköterska", unitId = s.Bvc, principal = "Region", participation = "InPerson" },
        ];
        var activities = new[] { Activity(Guid.NewGuid(), "Hembesök", "Unit", s.Bvc, "Region"), Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", person: "Pappa") };
        var followUp = new { date = "2027-06-01", condition = "tidigare om omständigheterna ändras", convenedBy = "Anna Test" };

        var uninformed = await CreateAsync(s, Content(s, activities, Participants(null), followUp), HttpStatusCode.BadRequest);
        Assert.Equal("urn:sip:problem:how-informed-missing", uninformed.GetProperty("type").GetString());
        Assert.Equal("Deltagare 1 är inte närvarande: ange hur hen informeras eller hörs (howInformed), t.ex. genom vårdnadshavare, brev, telefon eller stödperson.",
            uninformed.GetProperty("detail").GetString());
        var undated = await CreateAsync(s, Content(s, activities, Participants("genom mamma"), new { condition = "när Kim har börjat skolan", convenedBy = "Anna Test" }),
            HttpStatusCode.BadRequest);
        Assert.Equal("urn:sip:problem:follow-up-date-missing", undated.GetProperty("type").GetString());
        Assert.Empty(await host.QueryAsync(db => db.Plans.Where(p => p.CaseId == s.CaseId).ToListAsync(Ct)));

        // A condition without a fixed date is a follow-up as long as it has a date by which it is held at the latest.
        var conditional = await CreateAsync(s, Content(s, activities, Participants("genom mamma"),
            new { condition = "när Kim har börjat skolan", noLaterThan = "2027-09-30", convenedBy = "Anna Test" }), HttpStatusCode.Created);
        Assert.Equal(("när Kim har börjat skolan", "2027-09-30", JsonValueKind.Null), (conditional.GetProperty("content").GetProperty("nextFollowUp").GetProperty("condition").GetString(),
            conditional.GetProperty("content").GetProperty("nextFollowUp").GetProperty("noLaterThan").GetString(),
            conditional.GetProperty("content").GetProperty("nextFollowUp").GetProperty("date").ValueKind));
        using var edited = await SendAsync(s.Nurse, HttpMethod.Put, $"{s.Plans}/1", new
        {
            unitId = s.Bvc,
            content = Content(s, activities, Participants("genom mamma Lena och ett brev hem"), followUp),
        }, await ETagAsync(s.Nurse, $"{s.Plans}/1?unitId={s.Bvc}"));
        await edited.JsonAsync(HttpStatusCode.OK);
        await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.OK);
        var html = await LockAndPrintAsync(s);

        Assert.Contains("<tr><td>Kim Berg</td><td>Den enskilde (barnet)</td><td></td><td></td><td>Ej närvarande – informeras och hörs: genom mamma Lena och ett brev hem</td></tr>", html);
        Assert.Contains("<td>Nästa uppföljning</td><td>1 juni 2027, tidigare om omständigheterna ändras, sammankallande Anna Test</td>", html);
    }

    [Fact]
    public async Task A_unit_that_declined_and_one_never_asked_are_brought_into_the_case_when_the_signed_plan_names_them_responsible_and_see_their_measures()
    {
        using var s = await OpenCaseAsync();
        await (await s.Social.PostAsJsonAsync($"api/v1/cases/{s.CaseId}/initiatives/{s.InitiativeId}/decline",
            new { unitId = s.Socialtjanst, comment = "Inget pågående ärende hos oss." }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Social.GetAsync($"api/v1/cases/{s.CaseId}", Ct)).StatusCode);
        var (support, homeHelp) = (Guid.NewGuid(), Guid.NewGuid());
        var activities = new[]
        {
            Activity(support, "Föräldrastöd", "Unit", s.Socialtjanst, "Municipality"),
            Activity(homeHelp, "Avlösning i hemmet", "Unit", s.Hemtjanst, "Municipality"),
            Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", person: "Pappa"),
        };
        await CreateAsync(s, Content(s, activities), HttpStatusCode.Created);
        await using var sent = await host.ListenAsync<InitiativeSent>();

        var signed = await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("Signed", signed.GetProperty("status").GetString());
        var told = new[]
        {
            await sent.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == s.CaseId && m.GetProperty("toUnitId").GetGuid() == s.Socialtjanst),
            await sent.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == s.CaseId && m.GetProperty("toUnitId").GetGuid() == s.Hemtjanst),
        };
        Assert.All(told, m => Assert.Equal(s.Bvc, m.GetProperty("fromUnitId").GetGuid()));
        var initiatives = (await (await s.Nurse.GetAsync($"api/v1/cases/{s.CaseId}", Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("initiatives").EnumerateArray()
            .Select(i => (i.GetProperty("toUnitId").GetGuid(), i.GetProperty("status").GetString())).ToList();
        Assert.Equal(new (Guid, string?)[] { (s.Socialtjanst, "Declined"), (s.Socialtjanst, "Sent"), (s.Hemtjanst, "Sent") }.Order(), initiatives.Order());
        // Each sees the plan and follows up its own measure.
        foreach (var (client, unit, activity) in new[] { (s.Social, s.Socialtjanst, support), (s.HomeCare, s.Hemtjanst, homeHelp) })
        {
            await (await client.GetAsync($"{s.Plans}/1?unitId={unit}", Ct)).JsonAsync(HttpStatusCode.OK);
            var followedUp = await (await client.PostAsJsonAsync($"{s.Plans}/1/activities/{activity}/status", new { unitId = unit, status = "Ongoing" }, Ct))
                .JsonAsync(HttpStatusCode.OK);
            Assert.Contains(followedUp.GetProperty("activities").EnumerateArray(), a => a.GetProperty("activityId").GetGuid() == activity && a.GetProperty("status").GetString() == "Ongoing");
        }
    }

    [Fact]
    public async Task A_plan_naming_a_responsible_unit_the_consent_does_not_cover_is_not_signed_and_no_initiative_goes_out()
    {
        using var s = await OpenCaseAsync();
        host.Uncovered[s.Partille] = true;
        await CreateAsync(s, Content(s,
        [
            Activity(Guid.NewGuid(), "Hembesök", "Unit", s.Bvc, "Region"),
            Activity(Guid.NewGuid(), "Kontaktperson", "Unit", s.Partille, "Municipality"),
            Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", person: "Pappa"),
        ]), HttpStatusCode.Created);

        var refused = await (await s.Nurse.PostAsJsonAsync($"{s.Plans}/1/sign", new { unitId = s.Bvc }, Ct)).JsonAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("urn:sip:problem:responsible-unit-not-covered", refused.GetProperty("type").GetString());
        Assert.StartsWith("Planen anger Socialtjänsten Partille Test som ansvarig för en insats, men samtycket omfattar inte enheten (enheten ingår inte i samtycket)",
            refused.GetProperty("detail").GetString());
        var plan = await (await s.Nurse.GetAsync($"{s.Plans}/1?unitId={s.Bvc}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Draft", plan.GetProperty("status").GetString());
        var sipCase = await (await s.Nurse.GetAsync($"api/v1/cases/{s.CaseId}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(sipCase.GetProperty("initiatives").EnumerateArray(), i => i.GetProperty("toUnitId").GetGuid() == s.Partille);
    }

    [Fact]
    public async Task A_measure_by_a_relative_with_a_responsible_unit_is_refused_as_written()
    {
        using var s = await OpenCaseAsync();

        var refused = await CreateAsync(s, Content(s, [Activity(Guid.NewGuid(), "Pappa ringer dagligen", "Relative", s.Bvc, person: "Pappa")]), HttpStatusCode.BadRequest);

        Assert.Equal("urn:sip:problem:validation", refused.GetProperty("type").GetString());
        Assert.StartsWith("En insats av den enskilde, en närstående eller en vårdnadshavare har ingen ansvarig enhet (\"Pappa ringer dagligen\")",
            refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_openapi_document_describes_absent_participants_guardians_measures_conditional_follow_up_and_refused_unknown_fields()
    {
        using var anonymous = host.Anonymous();

        var document = await (await anonymous.GetAsync("/openapi/v1.json", Ct)).JsonAsync(HttpStatusCode.OK);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        IEnumerable<string?> Enum(string name) => schemas.GetProperty(name).GetProperty("enum").EnumerateArray().Select(e => e.GetString());
        IEnumerable<string> Properties(string name) => schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name);
        Assert.Contains("NotPresent", Enum("Participation"));
        Assert.Contains("Guardian", Enum("ResponsibleKind"));
        Assert.Contains("howInformed", Properties("PlanParticipant"));
        Assert.Equal(["condition", "convenedBy", "date", "noLaterThan"], Properties("FollowUp").Order());
        var sign = document.GetProperty("paths").GetProperty("/api/v1/cases/{caseId}/plans/{version}/sign").GetProperty("post");
        Assert.Contains("responsible-unit-not-covered", sign.GetProperty("description").GetString());
        // Every operation with a body says that an unknown field is refused, not ignored.
        var edit = document.GetProperty("paths").GetProperty("/api/v1/cases/{caseId}/plans/{version}").GetProperty("put");
        Assert.Contains("urn:sip:problem:unknown-field", edit.GetProperty("responses").GetProperty("400").GetProperty("description").GetString());
    }

    /// <summary>Locks version 1 with signatures on paper, naming the revision signed, and prints it.</summary>
    private async Task<string> LockAndPrintAsync(Scene s)
    {
        var signature = new { signedBy = "Lena Berg", how = "Underskrift på papper", signedOn = "2027-03-01" };
        using var locked = await SendAsync(s.Nurse, HttpMethod.Post, $"{s.Plans}/1/lock",
            new { unitId = s.Bvc, individualSignature = signature, coordinatorSignature = signature with { signedBy = "Anna Test" } },
            await ETagAsync(s.Nurse, $"{s.Plans}/1?unitId={s.Bvc}"));
        await locked.JsonAsync(HttpStatusCode.OK);
        using var print = await s.Nurse.GetAsync($"{s.Plans}/1/print?unitId={s.Bvc}", Ct);
        Assert.Equal(HttpStatusCode.OK, print.StatusCode);
        return await print.Content.ReadAsStringAsync(Ct);
    }
}
