using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.Testing;
using static Sip.Consent.Tests.Service.ConsentServiceHost;

namespace Sip.Consent.Tests.Service;

/// <summary>
/// The auditor's review of the access log (issue 13) through the real consent service: consent's own log, the case
/// service's and meeting scheduling's (stand-ins answering AuditReview with the real server's rules) merged newest first and paged with an
/// opaque cursor; auditors only; another tenant's rows never; bad input refused in Swedish; every review audited.
/// </summary>
public sealed class AuditReviewTests(ConsentServiceHost host) : IClassFixture<ConsentServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<(Guid Id, string Number)> RegisterAndReadAsync(int reads)
    {
        // A random birth day within ten years as well as a random serial: one day's 900 serials collided (a 200 instead of 201) in full runs.
        var number = TestIdentityNumbers.Twelve($"{Today.AddYears(-40).AddDays(-Random.Shared.Next(0, 3650)):yyyyMMdd}{Random.Shared.Next(100, 999)}");
        using var staff = host.Staff(Vardcentral);
        var id = (await (await staff.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = number, unitId = Vardcentral }, Ct))
            .JsonAsync(HttpStatusCode.Created)).Id("individualId");
        for (var i = 0; i < reads; i++)
        {
            (await staff.GetAsync($"api/v1/consent/individuals/{id}?unitId={Vardcentral}", Ct)).EnsureSuccessStatusCode();
        }
        return (id, number);
    }

    private static object Period(int days = 30) => new { from = DateTimeOffset.UtcNow.AddDays(-days), to = DateTimeOffset.UtcNow.AddDays(1) };

    private static async Task<List<JsonElement>> AllPagesAsync(HttpClient auditor, Func<string?, object> body, int limit)
    {
        var rows = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await auditor.PostAsJsonAsync("api/v1/audit/accesses/search", body(cursor), Ct)).JsonAsync(HttpStatusCode.OK);
            var pageRows = page.GetProperty("rows").EnumerateArray().ToList();
            Assert.True(pageRows.Count <= limit);
            rows.AddRange(pageRows);
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            Assert.True(++pages < 50, "paging never ends");
        }
        while (cursor is not null);
        return rows;
    }

    [Fact]
    public async Task The_auditor_finds_every_access_to_an_individual_across_services_newest_first_paged_and_never_another_tenants()
    {
        var (individual, number) = await RegisterAndReadAsync(reads: 3);
        var now = DateTimeOffset.UtcNow;
        var caseId = Guid.NewGuid();
        host.CaseAuditLog.Unit(Bup, "BUP Mölndal", "Region");
        for (var i = 1; i <= 5; i++)
        {
            host.CaseAuditLog.Add(Tenant, now.AddMinutes(-i), "bup-kurator", Bup, "case.read", individual, caseId);
        }
        // Two at the same instant, so the cursor must order by service and id as well as time.
        host.CaseAuditLog.Add(Tenant, now.AddMinutes(-3), "bup-kurator", Bup, "plan.read", individual, caseId);
        // Meeting scheduling's log: one at that instant too, so three services share it.
        host.MeetingAuditLog.Add(Tenant, now.AddMinutes(-3), "bup-kurator", Bup, "meeting.read", individual, caseId);
        host.MeetingAuditLog.Add(Tenant, now.AddMinutes(-7), "bup-kurator", Bup, "meeting.letter-printed", individual, caseId);
        host.MeetingAuditLog.Add(Tenant, now.AddMinutes(-8), "bup-kurator", Bup, "meeting.booked", individual, caseId);
        host.MeetingAuditLog.Add("another-tenant", now.AddMinutes(-4), "intruder", null, "meeting.read", individual, caseId);
        host.CaseAuditLog.Add("another-tenant", now.AddMinutes(-2), "intruder", null, "case.read", individual, caseId);
        using var auditor = host.WithRole("granskare-1", Tenant, SipRoles.Auditor);

        var byNumber = await AllPagesAsync(auditor, c => new { individual = new { personalIdentityNumber = number }, from = now.AddDays(-1), to = now.AddDays(1), cursor = c, limit = 2 }, 2);
        var byId = await AllPagesAsync(auditor, c => new { individual = new { individualId = individual }, from = now.AddDays(-1), to = now.AddDays(1), cursor = c, limit = 3 }, 3);

        // registered + 3 reads in consent, 6 in case, 3 in meeting scheduling. Each of the first review's seven pages is
        // itself audited (after its query, so the later pages, older than the cursor, do not see it); the second review
        // finds those seven too.
        Assert.Equal(13, byNumber.Count);
        Assert.Equal(4, byNumber.Count(r => r.GetProperty("service").GetString() == "consent"));
        Assert.Equal(6, byNumber.Count(r => r.GetProperty("service").GetString() == "case"));
        Assert.Equal(["meeting.read", "meeting.letter-printed", "meeting.booked"],
            byNumber.Where(r => r.GetProperty("service").GetString() == "meeting-scheduling").Select(r => r.GetProperty("action").GetString()));
        Assert.DoesNotContain(byNumber, r => r.GetProperty("actor").GetString() == "intruder");
        var times = byNumber.Select(r => r.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
        Assert.Equal(20, byId.Count);
        Assert.Equal(7, byId.Count(r => r.GetProperty("action").GetString() == "audit.reviewed-individual" && r.GetProperty("actor").GetString() == "granskare-1"));
        Assert.Equal("audit.reviewed-individual", byId[0].GetProperty("action").GetString());
        var bup = byNumber.First(r => r.GetProperty("service").GetString() == "case");
        Assert.Equal("BUP Mölndal", bup.GetProperty("actorUnit").GetProperty("name").GetString());
        Assert.Equal(caseId, bup.GetProperty("caseId").GetGuid());
        Assert.Equal(["staff"], bup.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        // Every row exactly once across the pages: the same rows as the by-number review, in the same order.
        Assert.Equal(byNumber.Select(r => r.GetRawText()), byId.Skip(7).Select(r => r.GetRawText()));
    }

    [Fact]
    public async Task The_auditor_finds_what_one_user_accessed_and_the_review_itself_is_audited()
    {
        var (individual, _) = await RegisterAndReadAsync(reads: 1);
        var subject = $"kurator-{Guid.NewGuid():N}";
        host.CaseAuditLog.Add(Tenant, DateTimeOffset.UtcNow.AddHours(-2), subject, Bup, "case.read", individual, Guid.NewGuid());
        host.CaseAuditLog.Add(Tenant, DateTimeOffset.UtcNow.AddHours(-1), subject, Bup, "plan.read", Guid.NewGuid(), Guid.NewGuid());
        using var auditor = host.WithRole("granskare-2", Tenant, SipRoles.Auditor);

        var rows = await AllPagesAsync(auditor, c => new { actor = subject, from = DateTimeOffset.UtcNow.AddDays(-1), to = DateTimeOffset.UtcNow.AddDays(1), cursor = c }, 50);

        Assert.Equal(["plan.read", "case.read"], rows.Select(r => r.GetProperty("action").GetString()));
        var logged = await host.QueryAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.Actor == "granskare-2").ToListAsync(Ct));
        var review = Assert.Single(logged);
        Assert.Equal("audit.reviewed-user", review.Action);
        Assert.Contains(subject, review.Purpose);
    }

    [Fact]
    public async Task Only_an_auditor_may_review_and_only_their_own_tenants_log()
    {
        var (individual, _) = await RegisterAndReadAsync(reads: 0);
        var body = new { individual = new { individualId = individual }, from = DateTimeOffset.UtcNow.AddDays(-1), to = DateTimeOffset.UtcNow.AddDays(1) };
        using var staff = host.Staff(Vardcentral);
        using var statistician = host.WithRole("statistiker", Tenant, SipRoles.Statistician);
        using var administrator = host.WithRole("admin", Tenant, SipRoles.DirectoryAdministrator);
        using var anonymous = host.Staff(Vardcentral);
        anonymous.DefaultRequestHeaders.Authorization = null;
        using var otherTenantsAuditor = host.WithRole("granskare-x", "another-tenant", SipRoles.Auditor);

        foreach (var client in new[] { staff, statistician, administrator })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("api/v1/audit/accesses/search", body, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("api/v1/audit/extract", body, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("api/v1/audit/accesses/search", body, Ct)).StatusCode);
        var other = await (await otherTenantsAuditor.PostAsJsonAsync("api/v1/audit/accesses/search", body, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(other.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task Bad_input_is_refused_in_Swedish_and_an_unknown_number_gives_an_empty_answer()
    {
        var (individual, number) = await RegisterAndReadAsync(reads: 0);
        using var auditor = host.WithRole("granskare-3", Tenant, SipRoles.Auditor);
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var to = DateTimeOffset.UtcNow.AddDays(1);

        async Task<string> RefusedAsync(object body)
        {
            var problem = await (await auditor.PostAsJsonAsync("api/v1/audit/accesses/search", body, Ct)).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal("Granskningen kan inte göras med de angivna uppgifterna", problem.GetProperty("title").GetString());
            return problem.GetProperty("detail").GetString()!;
        }

        Assert.Contains("högst 366 dagar", await RefusedAsync(new { actor = "x", from = to.AddDays(-400), to }));
        Assert.Contains("inte båda", await RefusedAsync(new { individual = new { individualId = individual }, actor = "x", from, to }));
        Assert.Contains("inte båda", await RefusedAsync(new { individual = new { individualId = individual, personalIdentityNumber = number }, from, to }));
        Assert.Contains("from före to", await RefusedAsync(new { actor = "x", from = to, to = from }));
        Assert.Contains("cursor", await RefusedAsync(new { actor = "x", from, to, cursor = "not-a-cursor" }));
        Assert.Contains("limit", await RefusedAsync(new { actor = "x", from, to, limit = 501 }));

        var unknown = TestIdentityNumbers.Twelve($"{Today.AddYears(-70):yyyyMMdd}{Random.Shared.Next(100, 999)}");
        var empty = await (await auditor.PostAsJsonAsync("api/v1/audit/accesses/search", new { individual = new { personalIdentityNumber = unknown }, from, to }, Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(empty.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public async Task When_any_services_log_cannot_be_read_the_review_is_refused_in_Swedish_and_never_answered_in_part()
    {
        var (individual, _) = await RegisterAndReadAsync(reads: 1);
        using var auditor = host.WithRole("granskare-5", Tenant, SipRoles.Auditor);
        var body = new { individual = new { individualId = individual }, from = DateTimeOffset.UtcNow.AddDays(-1), to = DateTimeOffset.UtcNow.AddDays(1) };
        host.MeetingAuditLog.Failing = true;
        try
        {
            foreach (var path in new[] { "api/v1/audit/accesses/search", "api/v1/audit/extract" })
            {
                var problem = await (await auditor.PostAsJsonAsync(path, body, Ct)).JsonAsync(HttpStatusCode.ServiceUnavailable);
                Assert.Equal("Granskningen kan inte göras just nu", problem.GetProperty("title").GetString());
            }
        }
        finally
        {
            host.MeetingAuditLog.Failing = false;
        }
        var rows = (await (await auditor.PostAsJsonAsync("api/v1/audit/accesses/search", body, Ct)).JsonAsync(HttpStatusCode.OK)).GetProperty("rows");
        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("action").GetString() == "individual.read");
    }

    [Fact]
    public async Task The_extract_tells_the_individual_which_unit_accessed_what_when_and_why_in_Swedish()
    {
        var (individual, number) = await RegisterAndReadAsync(reads: 1);
        var socialUnit = Guid.NewGuid();
        host.CaseAuditLog.Unit(socialUnit, "Socialtjänsten Mölndal", "Municipality");
        host.CaseAuditLog.Add(Tenant, DateTimeOffset.UtcNow.AddDays(-3), "socialsekreterare", socialUnit, "plan.read", individual, Guid.NewGuid());
        using var auditor = host.WithRole("granskare-4", Tenant, SipRoles.Auditor);

        var extract = await (await auditor.PostAsJsonAsync("api/v1/audit/extract",
            new { individual = new { personalIdentityNumber = number }, from = DateTimeOffset.UtcNow.AddYears(-1), to = DateTimeOffset.UtcNow.AddDays(1) }, Ct))
            .JsonAsync(HttpStatusCode.OK);

        var accesses = extract.GetProperty("atkomster").EnumerateArray().ToList();
        Assert.Equal(3, accesses.Count);
        var social = Assert.Single(accesses, a => a.GetProperty("enhet").GetString() == "Socialtjänsten Mölndal");
        Assert.Equal("Läste planen", social.GetProperty("atgard").GetString());
        Assert.StartsWith("Socialtjänst", social.GetProperty("verksamhet").GetString());
        Assert.Equal("Samordnad individuell plan", social.GetProperty("andamal").GetString());
        Assert.Equal(SwedishDate(DateTimeOffset.UtcNow.AddDays(-3)), social.GetProperty("datum").GetString());
        Assert.Contains(accesses, a => a.GetProperty("atgard").GetString() == "Läste personens uppgifter");
        Assert.DoesNotContain(number, extract.GetRawText());
        Assert.DoesNotContain("socialsekreterare", extract.GetRawText());
    }

    [Fact]
    public async Task The_extract_prints_to_a_PDF_the_individual_can_be_given_that_says_what_the_JSON_says_and_names_no_person()
    {
        var (individual, number) = await RegisterAndReadAsync(reads: 1);
        var homeCare = Guid.NewGuid();
        host.CaseAuditLog.Unit(homeCare, "Hemtjänsten Kungsbacka", "Municipality");
        host.MeetingAuditLog.Add(Tenant, DateTimeOffset.UtcNow.AddDays(-2), "undersköterska-1", homeCare, "meeting.read", individual, Guid.NewGuid());
        using var auditor = host.WithRole("granskare-6", Tenant, SipRoles.Auditor);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/audit/extract")
        {
            Content = JsonContent.Create(new { individual = new { personalIdentityNumber = number }, from = DateTimeOffset.UtcNow.AddYears(-1), to = DateTimeOffset.UtcNow.AddDays(1) }),
        };
        request.Headers.Accept.ParseAdd("application/pdf");

        using var pdf = await auditor.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("registerutdrag-", pdf.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var bytes = await pdf.Content.ReadAsByteArrayAsync(Ct);
        using (var document = UglyToad.PdfPig.PdfDocument.Open(bytes))
        {
            var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains("registerutdrag", text, StringComparison.Ordinal);
            Assert.Contains("Kungsbacka", text, StringComparison.Ordinal);
            Assert.Contains(SwedishDate(DateTimeOffset.UtcNow.AddDays(-2)), text, StringComparison.Ordinal);
            Assert.Contains("möte", text, StringComparison.Ordinal);
            Assert.DoesNotContain(number, text, StringComparison.Ordinal);
            Assert.DoesNotContain($"{number[2..8]}-{number[8..]}", text, StringComparison.Ordinal);
            Assert.DoesNotContain("undersköterska", text, StringComparison.Ordinal);
        }
        var logged = await host.QueryAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.Actor == "granskare-6").ToListAsync(Ct));
        Assert.Equal("audit.extracted-pdf", Assert.Single(logged).Action);
    }

    private static string SwedishDate(DateTimeOffset at) => Sip.ServiceDefaults.Time.SwedishCalendar.Today(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
