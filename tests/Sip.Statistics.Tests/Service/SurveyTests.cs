using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sip.Statistics.Apis;
using Sip.Statistics.Domain.Survey;
using Sip.Statistics.Infrastructure;
using Sip.Testing;

namespace Sip.Statistics.Tests.Service;

/// <summary>
/// SIP-kollen (SIP-DOMAIN §10) through the service's HTTP API on a real PostgreSQL: one-time codes, anonymous answers,
/// declining, the personal code's comparison, and results that re-identify nobody.
/// </summary>
public sealed class SurveyTests(StatisticsServiceHost host) : IClassFixture<StatisticsServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Molndal = "1481";
    private const string Boras = "1490";
    private const string Alingsas = "1489";
    private const string Halmstad = "1380";
    private const string Varberg = "1383";

    private static string NewTenant() => "survey-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_code_is_used_up_by_its_answer_and_a_second_answer_with_it_gets_a_swedish_409()
    {
        var tenant = NewTenant();
        using var coordinator = host.Coordinator(tenant);
        var code = await coordinator.IssueCodeAsync();
        Assert.Matches("^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$", code);
        using var anonymous = host.Anonymous();

        using (var check = await anonymous.PostAsJsonAsync("/api/v1/statistics/survey/codes/check", new { code = code.ToLowerInvariant().Replace("-", " ") }, Ct))
        {
            Assert.True((await check.JsonAsync(HttpStatusCode.OK)).GetProperty("usable").GetBoolean());
        }
        using (var first = await anonymous.PostAnswerAsync(code, new Answer(Molndal, Respect: 4, Participation: 5)))
        {
            await first.JsonAsync(HttpStatusCode.Created);
        }
        using var second = await anonymous.PostAnswerAsync(code, new Answer(Molndal, Respect: 1));
        var (slug, title, detail) = await second.ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(("survey-code-used", "Koden är redan använd"), (slug, title));
        Assert.Contains("en gång", detail, StringComparison.Ordinal);
        using var checkAgain = await anonymous.PostAsJsonAsync("/api/v1/statistics/survey/codes/check", new { code }, Ct);
        Assert.Equal("survey-code-used", (await checkAgain.ProblemAsync(HttpStatusCode.Conflict)).Slug);

        // Only the first answer was counted.
        using var statistician = host.Statistician(tenant);
        var total = Assert.Single(await statistician.SurveyTableAsync("sex"), c => c.Total);
        Assert.True(total.Suppressed, "one answer is below the threshold");
        await using var db = await OpenAsync();
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM statistics.survey_responses WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task Two_answers_sent_at_once_with_one_code_count_once_and_the_other_gets_409()
    {
        var tenant = NewTenant();
        using var coordinator = host.Coordinator(tenant);
        var code = await coordinator.IssueCodeAsync();
        using var a = host.Anonymous();
        using var b = host.Anonymous();

        var responses = await Task.WhenAll(a.PostAnswerAsync(code, new Answer(Molndal, Respect: 5)), b.PostAnswerAsync(code, new Answer(Molndal, Respect: 1)));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Equal("survey-code-used", (await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ProblemAsync(HttpStatusCode.Conflict)).Slug);
        foreach (var response in responses)
        {
            response.Dispose();
        }
        await using var db = await OpenAsync();
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM statistics.survey_responses WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task Malformed_unknown_and_expired_codes_get_swedish_problems_and_count_nothing()
    {
        var tenant = NewTenant();
        using var anonymous = host.Anonymous();

        using var malformed = await anonymous.PostAnswerAsync("ABC-1", new Answer(Molndal, Respect: 3));
        Assert.Equal(("survey-code-malformed", "Ogiltig kod"), Pair(await malformed.ProblemAsync(HttpStatusCode.BadRequest)));

        using var unknown = await anonymous.PostAnswerAsync(SurveyCodes.NewOneTimeCode(), new Answer(Molndal, Respect: 3));
        Assert.Equal(("survey-code-unknown", "Koden finns inte"), Pair(await unknown.ProblemAsync(HttpStatusCode.NotFound)));

        var expired = SurveyCodes.NewOneTimeCode();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var secrets = scope.ServiceProvider.GetRequiredService<SurveySecrets>();
            var context = scope.ServiceProvider.GetRequiredService<StatisticsDbContext>();
            context.SurveyCodes.Add(new SurveyCode
            {
                CodeHash = SurveyCodes.Hash(secrets.Pepper, SurveyApi.OneTimePurpose, SurveyCodes.Normalise(expired, SurveyCodes.OneTimeLength)!),
                TenantId = tenant,
                IssuedMonth = new DateOnly(2026, 1, 1),
                ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            await context.SaveChangesAsync(Ct);
        }
        using var late = await anonymous.PostAnswerAsync(expired, new Answer(Molndal, Respect: 3));
        var (slug, title, detail) = await late.ProblemAsync(HttpStatusCode.Gone);
        Assert.Equal(("survey-code-expired", "Koden har gått ut"), (slug, title));
        Assert.Contains("60 dagar", detail, StringComparison.Ordinal);

        // A bad answer leaves a good code usable: nothing is used up before the answer is accepted.
        using var coordinator = host.Coordinator(tenant);
        var code = await coordinator.IssueCodeAsync();
        using var badMunicipality = await anonymous.PostAnswerAsync(code, new Answer("9999", Respect: 3));
        Assert.Equal("survey-invalid-answer", (await badMunicipality.ProblemAsync(HttpStatusCode.BadRequest)).Slug);
        using var outOfScale = await anonymous.PostAnswerAsync(code, new Answer(Molndal, Respect: 6));
        Assert.Equal(("survey-invalid-answer", "Ogiltigt enkätsvar"), Pair(await outOfScale.ProblemAsync(HttpStatusCode.BadRequest)));
        using var good = await anonymous.PostAnswerAsync(code, new Answer(Molndal, Respect: 3));
        await good.JsonAsync(HttpStatusCode.Created);

        await using var db = await OpenAsync();
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(*) FROM statistics.survey_responses WHERE tenant_id = @t", ("t", tenant)));
    }

    [Fact]
    public async Task Only_signed_in_staff_get_codes_only_statisticians_read_results_and_anyone_reads_the_municipality_list()
    {
        var tenant = NewTenant();
        using var anonymous = host.Anonymous();
        using var noToken = await anonymous.PostAsync("/api/v1/statistics/survey/codes", null, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        using var anonymousResults = await anonymous.GetAsync("/api/v1/statistics/survey/results", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousResults.StatusCode);
        using var coordinator = host.Coordinator(tenant);
        using var staffResults = await coordinator.GetAsync("/api/v1/statistics/survey/results", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, staffResults.StatusCode);
        using var staffLeague = await coordinator.GetAsync("/api/v1/statistics/survey/league", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, staffLeague.StatusCode);

        // The form's list of municipalities is public reference data: no sign-in, every municipality, in Swedish order.
        using var list = await anonymous.GetAsync("/api/v1/statistics/survey/municipalities", Ct);
        var municipalities = (await list.JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();
        Assert.Equal(290, municipalities.Count);
        var names = municipalities.Select(m => m.GetProperty("name").GetString()!).ToList();
        Assert.Equal("Ale", names[0]);
        Assert.Equal(["Östersund", "Österåker", "Östhammar", "Östra Göinge", "Överkalix", "Övertorneå"], names[^6..]);
        var molndal = municipalities.Single(m => m.GetProperty("code").GetString() == Molndal);
        Assert.Equal(("14", "Västra Götalands län"), (molndal.GetProperty("countyCode").GetString(), molndal.GetProperty("countyName").GetString()));
    }

    [Fact]
    public async Task Someone_who_declines_still_counts_by_age_sex_and_municipality_but_answers_no_statement()
    {
        var tenant = NewTenant();
        for (var i = 0; i < 6; i++)
        {
            var receipt = await host.AnswerAsync(tenant, new Answer(Molndal, AgeBand: "80+", Sex: "Male", Declined: true));
            Assert.True(receipt.GetProperty("declined").GetBoolean());
            Assert.Equal(JsonValueKind.Null, receipt.GetProperty("personalCode").ValueKind);
        }
        for (var i = 0; i < 5; i++)
        {
            await host.AnswerAsync(tenant, new Answer(Molndal, AgeBand: "80+", Sex: "Male", Respect: 5, Participation: 4, Relevance: 2,
                Structure: i < 4 ? 3 : null, Information: 1));
        }
        using var coordinator = host.Coordinator(tenant);
        using var anonymous = host.Anonymous();
        using var declinedWithAnswers = await anonymous.PostAnswerAsync(await coordinator.IssueCodeAsync(),
            new Answer(Molndal, Declined: true, Respect: 4));
        Assert.Equal("survey-invalid-answer", (await declinedWithAnswers.ProblemAsync(HttpStatusCode.BadRequest)).Slug);

        using var statistician = host.Statistician(tenant);
        var molndal = Assert.Single(await statistician.SurveyTableAsync("municipality"), c => c.Group == Molndal);
        Assert.Equal(("Mölndal", 11L, 5L, 6L), (molndal.Name, molndal.Responses, molndal.Answered, molndal.Declined));
        var respect = molndal.Statements!.Single(s => s.Statement == "respect");
        Assert.Equal((5L, 5.0, 1.0), (respect.Answered, respect.Mean, respect.ShareAgreeing));
        var relevance = molndal.Statements!.Single(s => s.Statement == "relevance");
        Assert.Equal((2.0, 0.0), (relevance.Mean, relevance.ShareAgreeing));
        // Four answered Structure ("vet inte" from the fifth): fewer than the threshold, so no mean is shown.
        var structure = molndal.Statements!.Single(s => s.Statement == "structure");
        Assert.Equal((null, null, null), (structure.Answered, structure.Mean, structure.ShareAgreeing));
        var county = Assert.Single(await statistician.SurveyTableAsync("county"), c => c.Group == "14");
        Assert.Equal(("Västra Götalands län", 11L, 6L), (county.Name, county.Responses, county.Declined));
        var old = Assert.Single(await statistician.SurveyTableAsync("ageBand"), c => c.Group == "80+");
        Assert.Equal(11L, old.Responses);
        var men = Assert.Single(await statistician.SurveyTableAsync("sex"), c => c.Group == "Male");
        Assert.Equal(11L, men.Responses);
    }

    [Fact]
    public async Task The_personal_code_links_a_later_answer_to_the_earlier_one_and_is_stored_only_as_a_hash()
    {
        var tenant = NewTenant();
        var first = await host.AnswerAsync(tenant, new Answer(Boras, Respect: 2, Participation: 3, Relevance: null, Structure: 5, Information: 1));
        var personalCode = first.GetProperty("personalCode").GetString()!;
        Assert.Matches("^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$", personalCode);
        Assert.Equal(1, first.GetProperty("round").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("comparison").ValueKind);

        // Typed as a person might: lower case, a space instead of the hyphen.
        var second = await host.AnswerAsync(tenant, new Answer(Boras, Respect: 4, Participation: 3, Relevance: 4, Structure: 2, Information: null,
            PersonalCode: personalCode.ToLowerInvariant().Replace('-', ' ')));
        Assert.Equal(2, second.GetProperty("round").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("personalCode").ValueKind);
        var changes = second.GetProperty("comparison").EnumerateArray()
            .ToDictionary(c => c.GetProperty("statement").GetString()!, c => Nullable(c.GetProperty("change")));
        Assert.Equal(new Dictionary<string, int?> { ["respect"] = 2, ["participation"] = 0, ["relevance"] = null, ["structure"] = -3, ["information"] = null }, changes);

        var third = await host.AnswerAsync(tenant, new Answer(Boras, Respect: 5, PersonalCode: personalCode));
        var respect = third.GetProperty("comparison").EnumerateArray().Single(c => c.GetProperty("statement").GetString() == "respect");
        Assert.Equal((4, 5, 1), (respect.GetProperty("previous").GetInt32(), respect.GetProperty("current").GetInt32(), respect.GetProperty("change").GetInt32()));

        // Another tenant's respondent with the same code is someone else: unknown there.
        using var otherCoordinator = host.Coordinator(NewTenant());
        using var anonymous = host.Anonymous();
        using var elsewhere = await anonymous.PostAnswerAsync(await otherCoordinator.IssueCodeAsync(), new Answer(Boras, Respect: 3, PersonalCode: personalCode));
        Assert.Equal(("survey-personal-code-unknown", "Den personliga koden känns inte igen"), Pair(await elsewhere.ProblemAsync(HttpStatusCode.UnprocessableEntity)));

        await using var db = await OpenAsync();
        var clear = personalCode.Replace("-", "");
        Assert.Equal(3L, await ScalarAsync(db, "SELECT count(DISTINCT id) FROM statistics.survey_responses WHERE tenant_id = @t AND personal_code_hash IS NOT NULL", ("t", tenant)));
        Assert.Equal(1L, await ScalarAsync(db, "SELECT count(DISTINCT personal_code_hash) FROM statistics.survey_responses WHERE tenant_id = @t", ("t", tenant)));
        Assert.Equal(0L, await ScalarAsync(db, "SELECT count(*) FROM statistics.survey_responses r WHERE upper(r::text) LIKE '%' || @c || '%'", ("c", clear)));
    }

    /// <summary>
    /// Two counties, five municipalities: Borås (2) and Varberg (1) are below the threshold. Every survey table the API
    /// publishes (by municipality, county, age band and sex) is fetched, and an attacker who knows how they are made tries
    /// every linear combination: no suppressed cell comes back. The same attacker does recover Borås from tables with
    /// only primary suppression, so the attack is real.
    /// </summary>
    [Fact]
    public async Task Small_cells_are_suppressed_with_complements_and_no_combination_of_published_tables_recovers_one()
    {
        var tenant = NewTenant();
        var population = new List<Answer>();
        void Add(int n, string municipality)
        {
            for (var i = 0; i < n; i++)
            {
                population.Add(new Answer(municipality, AgeBand: SurveyRules.AgeBands[i % 4], Sex: i % 3 == 0 ? "Male" : "Female",
                    Respect: 1 + i % 5, Participation: 5 - i % 5));
            }
        }
        Add(9, Molndal);
        Add(2, Boras);
        Add(7, Alingsas);
        Add(8, Halmstad);
        Add(1, Varberg);
        foreach (var answer in population)
        {
            await host.AnswerAsync(tenant, answer);
        }
        using var statistician = host.Statistician(tenant);
        var tables = new Dictionary<string, SurveyCellView[]>();
        foreach (var by in SurveyApi.Dimensions)
        {
            tables[by] = await statistician.SurveyTableAsync(by);
        }

        var municipalities = tables["municipality"].Where(c => !c.Total).ToDictionary(c => c.Group);
        Assert.True(municipalities[Boras].Suppressed && municipalities[Varberg].Suppressed, "primary suppression");
        Assert.True(municipalities[Alingsas].Suppressed && municipalities[Halmstad].Suppressed, "complementary suppression within each county");
        Assert.Equal((9L, false), (municipalities[Molndal].Responses, municipalities[Molndal].Suppressed));
        Assert.All(tables.Values.SelectMany(t => t).Where(c => c.Suppressed),
            c => Assert.True(c.Responses is null && c.Answered is null && c.Declined is null && c.Statements is null, $"suppressed cell {c.Group} shows a figure"));

        var atoms = population.Select(a => (a.Municipality, a.AgeBand, a.Sex)).Distinct().ToList();
        var attacker = new SurveyAttacker(atoms);
        foreach (var (by, table) in tables)
        {
            attacker.Learn(table.Where(c => !c.Suppressed), by);
        }
        var suppressed = tables.SelectMany(t => t.Value.Where(c => c.Suppressed).Select(c => (By: t.Key, Cell: c))).ToList();
        Assert.NotEmpty(suppressed);
        Assert.All(suppressed, s => Assert.False(attacker.CanRecover(s.Cell, s.By), $"{s.By} {s.Cell.Group} can be recovered"));

        // Primary suppression only: Alingsås and Halmstad published too; Västra Götaland's total minus Mölndal and Alingsås gives Borås.
        var naive = new SurveyAttacker(atoms);
        foreach (var (by, table) in tables)
        {
            naive.Learn(table.Where(c => !c.Suppressed), by);
        }
        naive.Learn([municipalities[Alingsas], municipalities[Halmstad]], "municipality");
        Assert.True(naive.CanRecover(municipalities[Boras], "municipality"), "the attack does not work even without complementary suppression");
    }

    [Fact]
    public async Task The_league_table_ranks_answers_per_10000_inhabitants_from_the_reference_data_with_suppression_applied()
    {
        var tenant = NewTenant();
        // Reference data: SCB's folkmängd per municipality 30 September 2025 (see the file's header).
        var reference = Inhabitants.Load(Path.Combine(AppContext.BaseDirectory, "ReferenceData", Inhabitants.FileName));
        Assert.Equal(290, reference.All.Count);
        Assert.All(reference.All, m => Assert.True(m.Population > 0, $"{m.Code} has no folkmängd"));
        Assert.Contains("SCB", reference.Source, StringComparison.Ordinal);
        const string Botkyrka = "0127", Danderyd = "0162", Nacka = "0182", Ekero = "0125", Salem = "0128", Malmo = "1280";
        foreach (var (municipality, n) in new[] { (Botkyrka, 6), (Danderyd, 5), (Nacka, 7), (Ekero, 2), (Salem, 3), (Malmo, 5) })
        {
            for (var i = 0; i < n; i++)
            {
                await host.AnswerAsync(tenant, new Answer(municipality, Declined: i == 0, Respect: i == 0 ? null : 4));
            }
        }

        using var statistician = host.Statistician(tenant);
        using var response = await statistician.GetAsync("/api/v1/statistics/survey/league", Ct);
        var league = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Contains("SCB", league.GetProperty("source").GetString(), StringComparison.Ordinal);
        var rows = league.GetProperty("rows").EnumerateArray().ToList();
        string Code(JsonElement r) => r.GetProperty("municipalityCode").GetString()!;
        double Rate(string code, int responses) => Math.Round(responses * 10_000d / reference.Find(code)!.Population!.Value, 2);

        // Danderyd 5 of 32 583 (1.53); Botkyrka 6 of 96 450 and Nacka 7 of 113 509 (both 0.62, so both second); Malmö 5 of 368 135 (0.14).
        Assert.Equal([Danderyd, Botkyrka, Nacka, Malmo], rows.Where(r => r.GetProperty("rank").ValueKind == JsonValueKind.Number).Select(Code));
        Assert.Equal([1, 2, 2, 4], rows.Take(4).Select(r => r.GetProperty("rank").GetInt32()));
        Assert.Equal([Rate(Danderyd, 5), Rate(Botkyrka, 6), Rate(Nacka, 7), Rate(Malmo, 5)], rows.Take(4).Select(r => r.GetProperty("perTenThousand").GetDouble()));
        var danderyd = rows[0];
        Assert.Equal(reference.Find(Danderyd)!.Population, danderyd.GetProperty("population").GetInt64());
        Assert.Equal((5, 4), (danderyd.GetProperty("responses").GetInt32(), danderyd.GetProperty("answered").GetInt32()));
        // Ekerö (2) and Salem (3) are suppressed, each the other's complement: the league shows exactly what the municipality table shows.
        var table = (await statistician.SurveyTableAsync("municipality")).Where(c => !c.Total).ToDictionary(c => c.Group);
        Assert.True(table[Ekero].Suppressed && table[Salem].Suppressed && !table[Danderyd].Suppressed);
        foreach (var row in rows)
        {
            Assert.Equal(table[Code(row)].Suppressed, row.GetProperty("suppressed").GetBoolean());
            if (row.GetProperty("suppressed").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("responses").ValueKind);
                Assert.Equal(JsonValueKind.Null, row.GetProperty("rank").ValueKind);
            }
        }

        using var csvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/statistics/survey/league");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        using var csvResponse = await statistician.SendAsync(csvRequest, Ct);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var csv = (await csvResponse.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("plats,kommunkod,kommun,folkmangd,svar,besvarade,svar_per_10000_invanare,undertryckt", csv[0]);
        Assert.Equal($"1,0162,Danderyd,{reference.Find(Danderyd)!.Population},5,4,{Rate(Danderyd, 5).ToString(System.Globalization.CultureInfo.InvariantCulture)},nej", csv[1]);
        Assert.Contains($"{Ekero},Ekerö,{reference.Find(Ekero)!.Population},,,,ja", string.Join("\n", csv), StringComparison.Ordinal);

        using var resultsCsvRequest = new HttpRequestMessage(HttpMethod.Get, "/api/v1/statistics/survey/results?by=county");
        resultsCsvRequest.Headers.Accept.ParseAdd("text/csv");
        using var resultsCsv = await statistician.SendAsync(resultsCsvRequest, Ct);
        var lines = (await resultsCsv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ar,county,namn,svar,besvarade,avbojda,respect_antal,respect_medel,respect_andel_instammer", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(",01,Stockholms län,23,18,5,", StringComparison.Ordinal));
    }

    private static (string, string) Pair((string Slug, string Title, string? Detail) p) => (p.Slug, p.Title);

    private static int? Nullable(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();

    private async Task<NpgsqlConnection> OpenAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        var connection = new NpgsqlConnection(scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ConnectionStrings:Database"]);
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, db);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }
}

/// <summary>
/// As <see cref="Attacker"/>, for the survey tables: every published cell is a sum over atoms (municipality, age band,
/// sex); a suppressed cell is recoverable when its atoms are a linear combination of published cells' atoms.
/// </summary>
internal sealed class SurveyAttacker(IReadOnlyList<(string Municipality, string AgeBand, string Sex)> atoms)
{
    private readonly List<double[]> _known = [];

    private static string GroupOf((string Municipality, string AgeBand, string Sex) a, string by) => by switch
    {
        "municipality" => a.Municipality,
        "county" => a.Municipality[..2],
        "ageBand" => a.AgeBand,
        _ => a.Sex,
    };

    private double[] Vector(SurveyCellView cell, string by) => [.. atoms.Select(a => cell.Total || GroupOf(a, by) == cell.Group ? 1.0 : 0.0)];

    public void Learn(IEnumerable<SurveyCellView> cells, string by) => _known.AddRange(cells.Select(c => Vector(c, by)));

    public bool CanRecover(SurveyCellView cell, string by) => Attacker.Rank([.. _known, Vector(cell, by)]) == Attacker.Rank(_known);
}
