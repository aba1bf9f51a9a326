using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Apis;

/// <summary>
/// Every §10 measure as a table per month, broken down by one dimension, with small cells suppressed. JSON, or CSV for
/// <c>Accept: text/csv</c> — the same cells, suppression applied.
/// </summary>
public static class MeasuresApi
{
    public const string Total = "Totalt";

    public static void MapMeasuresApi(this RouteGroupBuilder api)
    {
        api.MapGet("/measures", Catalog).RequireAuthorization(SipPolicies.Statistician).WithSummary("Vilka mått som finns och vilka indelningar de kan brytas ned på");
        api.MapGet("/measures/{measure}", Table).RequireAuthorization(SipPolicies.Statistician)
            .Produces<MeasureTable>(StatusCodes.Status200OK).Produces<string>(StatusCodes.Status200OK, "text/csv").ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Ett mått per månad och en indelning (kommun, enhet, åldersgrupp, kön, målgrupp, utskrivning …), små celler undertryckta; CSV med Accept: text/csv");
    }

    public static IResult Catalog() =>
        TypedResults.Ok(new MeasureCatalogResponse([.. MeasureCatalog.All.Select(m => new MeasureInfo(m.Name, m.Title))], [.. MeasureCatalog.Dimensions.Keys]));

    public static async Task<IResult> Table(string measure, string? by, string? from, string? to, string? group, HttpContext http, ClaimsPrincipal principal,
        StatisticsDbContext db, IConfiguration configuration, StatisticsMetrics metrics, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var definition = MeasureCatalog.Find(measure)
            ?? throw new DomainException("unknown-measure", "Okänt mått", $"Måttet finns inte. Möjliga mått: {string.Join(", ", MeasureCatalog.All.Select(m => m.Name))}.",
                StatusCodes.Status400BadRequest);
        by ??= "municipality";
        if (!MeasureCatalog.Dimensions.ContainsKey(by))
        {
            throw new DomainException("unknown-dimension", "Okänd indelning",
                $"Indelningen finns inte. Möjliga indelningar: {string.Join(", ", MeasureCatalog.Dimensions.Keys)}.", StatusCodes.Status400BadRequest);
        }
        var tenant = SipUser.From(principal).TenantId;
        var threshold = Threshold(configuration, tenant);
        var fromMonth = ParseMonth(from, "from");
        var toMonth = ParseMonth(to, "to");
        var cells = await QueryAsync(db, tenant, definition, by, fromMonth, toMonth, threshold, ct);
        if (!string.IsNullOrEmpty(group))
        {
            // Chosen after suppression, which saw the whole partition: a filtered query shows a cell exactly as the unfiltered one does.
            cells = [.. cells.Where(c => c.Group == group || c.Total)];
        }
        var table = new MeasureTable(definition.Name, definition.Title, by, threshold, definition.ShareOf, definition.MedianUnit, cells);
        var csv = http.Request.Headers.Accept.Any(a => a?.Contains("text/csv", StringComparison.OrdinalIgnoreCase) == true);
        metrics.TableServed(definition.Name, csv ? "csv" : "json", cells.Count(c => c.Suppressed), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return csv
            ? TypedResults.Text(ToCsv(table), "text/csv; charset=utf-8")
            : TypedResults.Ok(table);
    }

    /// <summary>One table's published cells, suppression applied: what the API serves, and what the benchmark times.</summary>
    public static async Task<List<MeasureCell>> QueryAsync(StatisticsDbContext db, string tenant, MeasureDefinition definition, string by, DateOnly? from,
        DateOnly? to, int threshold, CancellationToken ct) =>
        Publish(definition, by, await ReadAsync(db, tenant, definition, by, MeasureCatalog.Dimensions[by], from, to, ct), threshold);

    /// <summary>The tenant's threshold (<c>Statistics:Tenants:{tenant}:SuppressionThreshold</c>), else <c>Statistics:SuppressionThreshold</c>, else 5; never below 3.</summary>
    public static int Threshold(IConfiguration configuration, string tenant) =>
        Math.Max(Suppression.MinimumThreshold, configuration.GetValue<int?>($"Statistics:Tenants:{tenant}:SuppressionThreshold")
            ?? configuration.GetValue<int?>("Statistics:SuppressionThreshold") ?? Suppression.DefaultThreshold);

    private static DateOnly? ParseMonth(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month)
            ? month
            : throw new DomainException("bad-month", "Ogiltig månad", $"{name} ska vara en månad som ÅÅÅÅ-MM.", StatusCodes.Status400BadRequest);
    }

    /// <summary>A sum over the cube. Region, Municipality and Unit are read for every table, as the nested ones are suppressed together.</summary>
    internal sealed record CubeRow(DateOnly Month, string Series, string Region, string Municipality, string Unit, string Grp, int Value, bool Outcome, long Count);

    private static async Task<List<CubeRow>> ReadAsync(StatisticsDbContext db, string tenant, MeasureDefinition d, string by,
        (string Rollup, string Group) dimension, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        // The rollup and group expression come from MeasureCatalog.Dimensions, never from the request; the rest are parameters.
        // A nested table reads the whole geography (region, municipality, unit) to suppress the three together.
        var geography = MeasureCatalog.Nested.Contains(by)
            ? "region_code AS \"Region\", municipality_code AS \"Municipality\", unit_id AS \"Unit\""
            : "'' AS \"Region\", '' AS \"Municipality\", '' AS \"Unit\"";
        var sql = $"""
            SELECT month AS "Month", series AS "Series", {geography}, {dimension.Group} AS "Grp",
                   value AS "Value", outcome AS "Outcome", sum(count)::bigint AS "Count"
            FROM statistics.rollups
            WHERE tenant_id = @tenant AND dimension = @dimension AND (series = ANY(@series) OR (@prefix <> '' AND starts_with(series, @prefix)))
              AND (@from::date IS NULL OR month >= @from::date) AND (@to::date IS NULL OR month <= @to::date)
            GROUP BY month, series, region_code, municipality_code, unit_id, grp, tenant_id, value, outcome
            """;
        return await db.Database.SqlQueryRaw<CubeRow>(sql,
                new Npgsql.NpgsqlParameter("tenant", tenant), new Npgsql.NpgsqlParameter("dimension", dimension.Rollup),
                new Npgsql.NpgsqlParameter("series", d.Series.ToArray()), new Npgsql.NpgsqlParameter("prefix", d.SeriesPrefix ?? ""),
                new Npgsql.NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)from ?? DBNull.Value },
                new Npgsql.NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)to ?? DBNull.Value })
            .ToListAsync(ct);
    }

    /// <summary>The published cells: per month and series, one per group and a total, suppressed as <see cref="Suppression"/> decides.</summary>
    internal static List<MeasureCell> Publish(MeasureDefinition d, string by, IEnumerable<CubeRow> rows, int threshold)
    {
        var cells = new List<MeasureCell>();
        foreach (var partition in rows.GroupBy(r => (r.Month, r.Series)).OrderBy(p => p.Key.Month).ThenBy(p => p.Key.Series, StringComparer.Ordinal))
        {
            var groups = partition.GroupBy(r => r.Grp).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var (hidden, totalHidden) = Suppression.Decide([.. groups.Select(g => g.Sum(r => r.Count))], threshold);
            if (MeasureCatalog.Nested.Contains(by))
            {
                var (regions, municipalities, units) = Suppression.DecideNested(
                    [.. partition.Select(r => new Suppression.Place(r.Region, r.Municipality, r.Unit, r.Count))], threshold);
                hidden = [.. groups.Select(g => by switch
                {
                    "region" => regions.Contains(g.Key),
                    "municipality" => municipalities.Contains(g.Key),
                    _ => units.Contains((g.First().Municipality, g.First().Unit)),
                })];
            }
            var month = partition.Key.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            for (var i = 0; i < groups.Count; i++)
            {
                cells.Add(Cell(d, month, partition.Key.Series, groups[i].Key, false, [.. groups[i]], hidden[i]));
            }
            cells.Add(Cell(d, month, partition.Key.Series, Total, true, [.. partition], totalHidden));
        }
        return cells;
    }

    private static MeasureCell Cell(MeasureDefinition d, string month, string series, string group, bool total, List<CubeRow> rows, bool suppressed)
    {
        if (suppressed)
        {
            return new MeasureCell(month, series, group, total, null, null, null, null, true);
        }
        var count = rows.Sum(r => r.Count);
        long? outcome = d.ShareOf is null ? null : rows.Where(r => r.Outcome).Sum(r => r.Count);
        double? share = outcome is { } o && count > 0 ? Math.Round((double)o / count, 3) : null;
        double? median = d.MedianUnit is null ? null
            : MeetingMeasures.Median([.. rows.GroupBy(r => r.Value).Select(g => (g.Key, g.Sum(r => r.Count)))]);
        return new MeasureCell(month, series, group, total, count, outcome, share, median, false);
    }

    internal static string ToCsv(MeasureTable table)
    {
        var csv = new StringBuilder();
        csv.Append("manad,serie,").Append(table.By).Append(",antal,antal_utfall,andel,median,undertryckt\r\n");
        foreach (var c in table.Cells)
        {
            csv.Append(c.Month).Append(',').Append(Field(c.Series)).Append(',').Append(Field(c.Group)).Append(',')
                .Append(c.Count?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(c.Outcome?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(c.Share?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(c.Median?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(c.Suppressed ? "ja" : "nej").Append("\r\n");
        }
        return csv.ToString();

        // RFC 4180 quoting; a leading = + - @ would be a formula to a spreadsheet, so it is quoted behind an apostrophe.
        static string Field(string value)
        {
            if (value.Length > 0 && "=+-@".Contains(value[0]))
            {
                value = "'" + value;
            }
            return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
        }
    }
}

public sealed record MeasureInfo(string Name, string Title);

public sealed record MeasureCatalogResponse(IReadOnlyList<MeasureInfo> Measures, IReadOnlyList<string> Dimensions);

/// <summary>One measure by month and one dimension. <see cref="Threshold"/> is the suppression threshold applied.</summary>
public sealed record MeasureTable(string Measure, string Title, string By, int Threshold, string? ShareOf, string? MedianUnit, IReadOnlyList<MeasureCell> Cells);

/// <summary>
/// One published cell: <see cref="Count"/> facts, <see cref="Outcome"/> of them with the outcome (share in <see cref="Share"/>)
/// and the <see cref="Median"/> bucket value. A suppressed cell shows none of them.
/// </summary>
public sealed record MeasureCell(string Month, string Series, string Group, bool Total, long? Count, long? Outcome, double? Share, double? Median, bool Suppressed);
