using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Time;
using Sip.Statistics.Domain;
using Sip.Statistics.Domain.Survey;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Apis;

/// <summary>
/// SIP-kollen (SIP-DOMAIN §10): staff hand out one-time codes; the anonymous form redeems one with an answer; statisticians
/// read the results by municipality, county, age band and sex, and a league table of responses per inhabitant — every
/// published cell suppressed as the measures are (<see cref="Suppression"/>). Results per calendar year only: one fixed
/// partition per year, so no two queries overlap in a way that could be subtracted.
/// </summary>
public static class SurveyApi
{
    internal const string OneTimePurpose = "survey-code";
    internal const string PersonalPurpose = "survey-personal";

    public static readonly IReadOnlyList<string> Dimensions = ["municipality", "county", "ageBand", "sex"];

    public static void MapSurveyApi(this RouteGroupBuilder api)
    {
        var survey = api.MapGroup("/survey").WithTags("SIP-kollen");
        survey.MapPost("/codes", IssueCode).RequireAuthorization()
            .WithSummary("En engångskod till SIP-kollen som samordnaren lämnar ut på mötet (kopplas inte till ärende eller person)");
        survey.MapPost("/codes/check", CheckCode).AllowAnonymous().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Om en engångskod går att använda (utan inloggning; koden används inte upp)");
        survey.MapGet("/municipalities", Municipalities).AllowAnonymous()
            .WithSummary("Kommunerna som ett svar kan ange (kod, namn, län), för formuläret (utan inloggning; offentliga referensdata)");
        survey.MapPost("/answers", Answer).AllowAnonymous().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(410)
            .WithSummary("Ett anonymt svar på SIP-kollen (utan inloggning; engångskoden är behörigheten och används upp)");
        survey.MapGet("/results", Results).RequireAuthorization(SipPolicies.Statistician)
            .Produces<SurveyTable>().Produces<string>(200, "text/csv").ProducesProblem(400)
            .WithSummary("SIP-kollens resultat per år och kommun, län, åldersgrupp eller kön, små celler undertryckta; CSV med Accept: text/csv");
        survey.MapGet("/league", League).RequireAuthorization(SipPolicies.Statistician)
            .Produces<SurveyLeague>().Produces<string>(200, "text/csv")
            .WithSummary("Topplista: svar på SIP-kollen per 10 000 invånare och kommun under ett år, små celler undertryckta; CSV med Accept: text/csv");
    }

    public static async Task<IResult> IssueCode(ClaimsPrincipal principal, StatisticsDbContext db, SurveySecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var tenant = SipUser.From(principal).TenantId;
        var today = SwedishCalendar.Today(clock.GetUtcNow());
        var code = SurveyCodes.NewOneTimeCode();
        var expires = today.AddDays(secrets.CodeLifetimeDays);
        db.SurveyCodes.Add(new SurveyCode
        {
            CodeHash = SurveyCodes.Hash(secrets.Pepper, OneTimePurpose, SurveyCodes.Normalise(code, SurveyCodes.OneTimeLength)!),
            TenantId = tenant,
            IssuedMonth = new DateOnly(today.Year, today.Month, 1),
            // Until the end of the day it runs out on, in Swedish time: nothing in the row finer than a day.
            ExpiresAt = SwedishCalendar.StartOfDay(expires.AddDays(1)),
        });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created((string?)null, new IssuedSurveyCode(code, expires));
    }

    public static IResult Municipalities(Inhabitants inhabitants)
    {
        var swedish = StringComparer.Create(CultureInfo.GetCultureInfo("sv-SE"), false);
        return TypedResults.Ok(inhabitants.All.OrderBy(m => m.Name, swedish)
            .Select(m => new SurveyMunicipality(m.Code, m.Name, m.CountyCode, m.CountyName)).ToList());
    }

    public static async Task<IResult> CheckCode(SurveyCodeCheck request, StatisticsDbContext db, SurveySecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var code = await FindUsableAsync(db, secrets, clock, request.Code, ct);
        return TypedResults.Ok(new SurveyCodeStatus(true, DateOnly.FromDateTime(code.ExpiresAt.AddDays(-1).Date)));
    }

    public static async Task<IResult> Answer(SurveyAnswerRequest request, StatisticsDbContext db, SurveySecrets secrets, Inhabitants inhabitants,
        TimeProvider clock, StatisticsMetrics metrics, CancellationToken ct)
    {
        int?[] values = [request.Respect, request.Participation, request.Relevance, request.Structure, request.Information];
        SurveyRules.Validate(request.AgeBand, request.Sex, request.MunicipalityCode, request.Declined, values, inhabitants);
        string? personalTyped = request.Declined ? null : request.PersonalCode is { Length: > 0 } p ? p : null;
        string? personal = null;
        if (personalTyped is not null)
        {
            personal = SurveyCodes.Normalise(personalTyped, SurveyCodes.PersonalLength)
                ?? throw new DomainException("survey-personal-code-malformed", "Ogiltig personlig kod",
                    "Den personliga koden ska ha 10 tecken (bokstäver och siffror), till exempel ABCDE-FGHJK.", 400) { Field = "personalCode" };
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var code = await FindUsableAsync(db, secrets, clock, request.Code, ct);
        // Used up in the same transaction as the answer is saved: a second request with the code waits for this one and
        // then finds it used; a failed answer leaves it usable.
        var used = await db.SurveyCodes.Where(c => c.CodeHash == code.CodeHash && !c.Redeemed)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Redeemed, true), ct);
        if (used == 0)
        {
            throw CodeUsed();
        }

        var tenant = code.TenantId;
        string? personalHash = null;
        var round = 0;
        SurveyResponse? previous = null;
        string? newPersonalCode = null;
        if (!request.Declined)
        {
            if (personal is null)
            {
                newPersonalCode = SurveyCodes.NewPersonalCode();
                personal = SurveyCodes.Normalise(newPersonalCode, SurveyCodes.PersonalLength);
            }
            // The tenant is part of what is hashed: the same code in two tenants is two respondents.
            personalHash = SurveyCodes.Hash(secrets.Pepper, PersonalPurpose, tenant + ":" + personal);
            previous = await db.SurveyResponses.AsNoTracking().Where(r => r.TenantId == tenant && r.PersonalCodeHash == personalHash)
                .OrderByDescending(r => r.Round).FirstOrDefaultAsync(ct);
            if (personalTyped is not null && previous is null)
            {
                throw new DomainException("survey-personal-code-unknown", "Den personliga koden känns inte igen",
                    "Det finns inget tidigare svar med den personliga koden. Kontrollera att den är rätt skriven, eller lämna fältet tomt så får du en ny kod.",
                    422) { Field = "personalCode" };
            }
            round = (previous?.Round ?? 0) + 1;
        }
        var municipality = inhabitants.Find(request.MunicipalityCode)!;
        db.SurveyResponses.Add(new SurveyResponse
        {
            Id = Guid.NewGuid(),
            TenantId = tenant,
            Year = SwedishCalendar.Today(clock.GetUtcNow()).Year,
            AgeBand = request.AgeBand,
            Sex = request.Sex,
            MunicipalityCode = municipality.Code,
            CountyCode = municipality.CountyCode,
            Declined = request.Declined,
            Respect = (short?)request.Respect,
            Participation = (short?)request.Participation,
            Relevance = (short?)request.Relevance,
            Structure = (short?)request.Structure,
            Information = (short?)request.Information,
            PersonalCodeHash = personalHash,
            Round = round,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Two answers under one personal code at the same moment took the same round: this one is not saved, and
            // its one-time code stays usable (the transaction rolls back).
            throw new DomainException("survey-personal-code-busy", "Svaret kunde inte sparas",
                "Ett annat svar med samma personliga kod sparades samtidigt. Skicka svaret igen.", 409) { Field = "personalCode" };
        }
        await tx.CommitAsync(ct);
        metrics.SurveyAnswered(request.Declined);

        var comparison = previous is null ? null : SurveyRules.Statements.Select((s, i) =>
            new StatementChange(s, previous.Values[i], values[i], previous.Values[i] is { } was && values[i] is { } now ? now - was : null)).ToList();
        return TypedResults.Created((string?)null, new SurveyAnswerReceipt(request.Declined, newPersonalCode, round == 0 ? null : round, comparison));
    }

    /// <summary>The code's row when it can be used now; otherwise the problem that says why not, in Swedish.</summary>
    private static async Task<SurveyCode> FindUsableAsync(StatisticsDbContext db, SurveySecrets secrets, TimeProvider clock, string? typed, CancellationToken ct)
    {
        var normalised = SurveyCodes.Normalise(typed, SurveyCodes.OneTimeLength)
            ?? throw new DomainException("survey-code-malformed", "Ogiltig kod",
                "Koden ska ha 8 tecken, bokstäver och siffror, till exempel ABCD-EFGH. Den står på lappen du fick på mötet.", 400) { Field = "code" };
        var hash = SurveyCodes.Hash(secrets.Pepper, OneTimePurpose, normalised);
        var code = await db.SurveyCodes.AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == hash, ct)
            ?? throw new DomainException("survey-code-unknown", "Koden finns inte",
                "Kontrollera att koden är rätt skriven. Koden står på lappen du fick på mötet.", 404) { Field = "code" };
        if (code.Redeemed)
        {
            throw CodeUsed();
        }
        if (code.ExpiresAt <= clock.GetUtcNow())
        {
            throw new DomainException("survey-code-expired", "Koden har gått ut",
                $"Koden gällde i {secrets.CodeLifetimeDays} dagar efter mötet. Be din samordnare om en ny kod om du vill svara.", 410) { Field = "code" };
        }
        return code;
    }

    private static DomainException CodeUsed() =>
        new("survey-code-used", "Koden är redan använd",
            "Varje kod kan användas en gång. Om du redan har svarat behöver du inte göra något mer.", 409) { Field = "code" };

    public static async Task<IResult> Results(string? by, int? year, HttpContext http, ClaimsPrincipal principal, StatisticsDbContext db,
        IConfiguration configuration, Inhabitants inhabitants, CancellationToken ct)
    {
        by ??= "municipality";
        if (!Dimensions.Contains(by))
        {
            throw new DomainException("unknown-dimension", "Okänd indelning", $"Indelningen finns inte. Möjliga indelningar: {string.Join(", ", Dimensions)}.", 400);
        }
        var tenant = SipUser.From(principal).TenantId;
        var threshold = MeasuresApi.Threshold(configuration, tenant);
        var atoms = await ReadAsync(db, tenant, year, ct);
        var table = new SurveyTable(by, threshold, SurveyRules.Statements, Publish(atoms, by, threshold, inhabitants));
        return Wants(http, "text/csv") ? TypedResults.Text(ToCsv(table), "text/csv; charset=utf-8") : TypedResults.Ok(table);
    }

    public static async Task<IResult> League(int? year, HttpContext http, ClaimsPrincipal principal, StatisticsDbContext db, IConfiguration configuration,
        Inhabitants inhabitants, TimeProvider clock, CancellationToken ct)
    {
        var tenant = SipUser.From(principal).TenantId;
        var threshold = MeasuresApi.Threshold(configuration, tenant);
        var y = year ?? SwedishCalendar.Today(clock.GetUtcNow()).Year;
        var atoms = await ReadAsync(db, tenant, y, ct);
        // The municipality table's own suppression, so the league shows exactly what that table shows.
        var cells = Publish(atoms, "municipality", threshold, inhabitants).Where(c => !c.Total).ToList();
        // Ranked: the shown municipalities whose folkmängd is known. Equal rates share a rank (1, 2, 2, 4).
        var shown = cells.Where(c => !c.Suppressed && inhabitants.Find(c.Group)?.Population is > 0)
            .Select(c => (Cell: c, Population: inhabitants.Find(c.Group)!.Population!.Value))
            .Select(x => (x.Cell, x.Population, Rate: Math.Round(x.Cell.Responses!.Value * 10_000d / x.Population, 2)))
            .OrderByDescending(x => x.Rate).ThenBy(x => x.Cell.Group, StringComparer.Ordinal).ToList();
        var rows = new List<LeagueRow>();
        for (var i = 0; i < shown.Count; i++)
        {
            var rank = i > 0 && shown[i].Rate == shown[i - 1].Rate ? rows[i - 1].Rank : i + 1;
            rows.Add(new LeagueRow(rank, shown[i].Cell.Group, shown[i].Cell.Name, shown[i].Population, shown[i].Cell.Responses, shown[i].Cell.Answered, shown[i].Rate, false));
        }
        // Then, unranked: shown municipalities without a folkmängd in the reference data, and the suppressed ones.
        rows.AddRange(cells.Where(c => !c.Suppressed && inhabitants.Find(c.Group)?.Population is null or <= 0).OrderBy(c => c.Group, StringComparer.Ordinal)
            .Select(c => new LeagueRow(null, c.Group, c.Name, null, c.Responses, c.Answered, null, false)));
        rows.AddRange(cells.Where(c => c.Suppressed).OrderBy(c => c.Group, StringComparer.Ordinal)
            .Select(c => new LeagueRow(null, c.Group, c.Name, inhabitants.Find(c.Group)?.Population, null, null, null, true)));
        var league = new SurveyLeague(y, threshold, inhabitants.Source, rows);
        return Wants(http, "text/csv") ? TypedResults.Text(ToCsv(league), "text/csv; charset=utf-8") : TypedResults.Ok(league);
    }

    private static bool Wants(HttpContext http, string type) =>
        http.Request.Headers.Accept.Any(a => a?.Contains(type, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The finest combination the tables are sums of, with per-statement sums: counted in the database, nothing per answer leaves it.</summary>
    internal sealed record Atom(int Year, string County, string Municipality, string AgeBand, string Sex, bool Declined, long Count,
        long RespectAnswered, long RespectSum, long RespectAgree, long ParticipationAnswered, long ParticipationSum, long ParticipationAgree,
        long RelevanceAnswered, long RelevanceSum, long RelevanceAgree, long StructureAnswered, long StructureSum, long StructureAgree,
        long InformationAnswered, long InformationSum, long InformationAgree)
    {
        public (long Answered, long Sum, long Agree) Statement(int i) => i switch
        {
            0 => (RespectAnswered, RespectSum, RespectAgree),
            1 => (ParticipationAnswered, ParticipationSum, ParticipationAgree),
            2 => (RelevanceAnswered, RelevanceSum, RelevanceAgree),
            3 => (StructureAnswered, StructureSum, StructureAgree),
            _ => (InformationAnswered, InformationSum, InformationAgree),
        };
    }

    private static Task<List<Atom>> ReadAsync(StatisticsDbContext db, string tenant, int? year, CancellationToken ct)
    {
        var statements = string.Join(",\n", SurveyRules.Statements.Select(s => $"""
            count({s})::bigint AS "{Pascal(s)}Answered", coalesce(sum({s}), 0)::bigint AS "{Pascal(s)}Sum",
            (count(*) FILTER (WHERE {s} >= {SurveyRules.AgreesFrom}))::bigint AS "{Pascal(s)}Agree"
            """));
        var sql = $"""
            SELECT year AS "Year", county_code AS "County", municipality_code AS "Municipality", age_band AS "AgeBand", sex AS "Sex",
                   declined AS "Declined", count(*)::bigint AS "Count",
                   {statements}
            FROM statistics.survey_responses
            WHERE tenant_id = @tenant AND (@year::integer IS NULL OR year = @year::integer)
            GROUP BY year, county_code, municipality_code, age_band, sex, declined
            """;
        return db.Database.SqlQueryRaw<Atom>(sql, new Npgsql.NpgsqlParameter("tenant", tenant),
                new Npgsql.NpgsqlParameter("year", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)year ?? DBNull.Value })
            .ToListAsync(ct);

        static string Pascal(string s) => char.ToUpperInvariant(s[0]) + s[1..];
    }

    /// <summary>
    /// Per year: one cell per group and a total. Suppression on the number of responses (declined included): by
    /// municipality or county the two are suppressed together, as the measures' region and municipality tables are; a
    /// statement's mean and share are left out of a shown cell when fewer than the threshold answered it.
    /// </summary>
    internal static List<SurveyCell> Publish(IReadOnlyList<Atom> atoms, string by, int threshold, Inhabitants inhabitants)
    {
        var cells = new List<SurveyCell>();
        foreach (var partition in atoms.GroupBy(a => a.Year).OrderBy(p => p.Key))
        {
            var groups = partition.GroupBy(a => by switch
            {
                "municipality" => a.Municipality,
                "county" => a.County,
                "ageBand" => a.AgeBand,
                _ => a.Sex,
            }).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var (hidden, totalHidden) = Suppression.Decide([.. groups.Select(g => g.Sum(a => a.Count))], threshold);
            if (by is "municipality" or "county")
            {
                var (counties, municipalities, _) = Suppression.DecideNested(
                    [.. partition.Select(a => new Suppression.Place(a.County, a.Municipality, "", a.Count))], threshold);
                hidden = [.. groups.Select(g => by == "county" ? counties.Contains(g.Key) : municipalities.Contains(g.Key))];
            }
            for (var i = 0; i < groups.Count; i++)
            {
                var name = by switch
                {
                    "municipality" => inhabitants.Find(groups[i].Key)?.Name ?? groups[i].Key,
                    "county" => inhabitants.CountyName(groups[i].Key),
                    _ => groups[i].Key,
                };
                cells.Add(Cell(partition.Key, groups[i].Key, name, false, [.. groups[i]], hidden[i], threshold));
            }
            cells.Add(Cell(partition.Key, MeasuresApi.Total, MeasuresApi.Total, true, [.. partition], totalHidden, threshold));
        }
        return cells;
    }

    private static SurveyCell Cell(int year, string group, string name, bool total, List<Atom> atoms, bool suppressed, int threshold)
    {
        if (suppressed)
        {
            return new SurveyCell(year, group, name, total, null, null, null, null, true);
        }
        var statements = SurveyRules.Statements.Select((s, i) =>
        {
            var answered = atoms.Sum(a => a.Statement(i).Answered);
            if (answered < threshold)
            {
                return new StatementResult(s, answered == 0 ? 0 : null, null, null);
            }
            return new StatementResult(s, answered, Math.Round((double)atoms.Sum(a => a.Statement(i).Sum) / answered, 2),
                Math.Round((double)atoms.Sum(a => a.Statement(i).Agree) / answered, 3));
        }).ToList();
        var declined = atoms.Where(a => a.Declined).Sum(a => a.Count);
        var responses = atoms.Sum(a => a.Count);
        return new SurveyCell(year, group, name, total, responses, responses - declined, declined, statements, false);
    }

    internal static string ToCsv(SurveyTable table)
    {
        var csv = new StringBuilder();
        csv.Append("ar,").Append(table.By).Append(",namn,svar,besvarade,avbojda");
        foreach (var s in table.Statements)
        {
            csv.Append(',').Append(s).Append("_antal,").Append(s).Append("_medel,").Append(s).Append("_andel_instammer");
        }
        csv.Append(",undertryckt\r\n");
        foreach (var c in table.Cells)
        {
            csv.Append(c.Year.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Field(c.Group)).Append(',').Append(Field(c.Name)).Append(',')
                .Append(Number(c.Responses)).Append(',').Append(Number(c.Answered)).Append(',').Append(Number(c.Declined));
            for (var i = 0; i < table.Statements.Count; i++)
            {
                var s = c.Statements?[i];
                csv.Append(',').Append(Number(s?.Answered)).Append(',').Append(Number(s?.Mean)).Append(',').Append(Number(s?.ShareAgreeing));
            }
            csv.Append(',').Append(c.Suppressed ? "ja" : "nej").Append("\r\n");
        }
        return csv.ToString();
    }

    internal static string ToCsv(SurveyLeague league)
    {
        var csv = new StringBuilder("plats,kommunkod,kommun,folkmangd,svar,besvarade,svar_per_10000_invanare,undertryckt\r\n");
        foreach (var r in league.Rows)
        {
            csv.Append(Number(r.Rank)).Append(',').Append(Field(r.MunicipalityCode)).Append(',').Append(Field(r.Name)).Append(',')
                .Append(Number(r.Population)).Append(',').Append(Number(r.Responses)).Append(',').Append(Number(r.Answered)).Append(',')
                .Append(Number(r.PerTenThousand)).Append(',').Append(r.Suppressed ? "ja" : "nej").Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Number(IFormattable? value) => value?.ToString(null, CultureInfo.InvariantCulture) ?? "";

    // RFC 4180 quoting; a leading = + - @ would be a formula to a spreadsheet, so it is quoted behind an apostrophe.
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0]))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}

public sealed record SurveyMunicipality(string Code, string Name, string CountyCode, string CountyName);

public sealed record IssuedSurveyCode(string Code, DateOnly ValidUntil);

public sealed record SurveyCodeCheck(string Code);

public sealed record SurveyCodeStatus(bool Usable, DateOnly ValidUntil);

/// <summary>
/// An answer: the one-time code, age band (0-17, 18-64, 65-79, 80+), sex (Female, Male, Other) and municipality code;
/// then either the five statements (1–5, null for "vet inte") or <see cref="Declined"/>. <see cref="PersonalCode"/>: the
/// code from an earlier answer, to compare with it; leave it out to be given a new one.
/// </summary>
public sealed record SurveyAnswerRequest(string Code, string AgeBand, string Sex, string MunicipalityCode, bool Declined = false,
    int? Respect = null, int? Participation = null, int? Relevance = null, int? Structure = null, int? Information = null, string? PersonalCode = null);

/// <summary>
/// What the respondent sees after answering: the new personal code to keep (null when they gave one, or declined), the
/// how-manieth answer under it, and, for a second or later answer, each statement's earlier and new value and change.
/// </summary>
public sealed record SurveyAnswerReceipt(bool Declined, string? PersonalCode, int? Round, IReadOnlyList<StatementChange>? Comparison);

public sealed record StatementChange(string Statement, int? Previous, int? Current, int? Change);

public sealed record SurveyTable(string By, int Threshold, IReadOnlyList<string> Statements, IReadOnlyList<SurveyCell> Cells);

/// <summary>
/// One published cell: responses (declined included), answered and declined, and per statement how many answered, the
/// mean (1–5) and the share agreeing (4 or 5). A suppressed cell shows none of them.
/// </summary>
public sealed record SurveyCell(int Year, string Group, string Name, bool Total, long? Responses, long? Answered, long? Declined,
    IReadOnlyList<StatementResult>? Statements, bool Suppressed);

public sealed record StatementResult(string Statement, long? Answered, double? Mean, double? ShareAgreeing);

public sealed record SurveyLeague(int Year, int Threshold, string Source, IReadOnlyList<LeagueRow> Rows);

/// <summary>A municipality's row: ranked when shown and its folkmängd is known; <see cref="Population"/> null when the reference data lacks it.</summary>
public sealed record LeagueRow(int? Rank, string MunicipalityCode, string Name, long? Population, long? Responses, long? Answered, double? PerTenThousand, bool Suppressed);
