using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
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
        var cells = await QueryAsync(db, tenant, definition, by, fromMonth, toMonth, threshold, ct, metrics);
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

    /// <summary>
    /// One table's published cells, suppression applied: what the API serves, and what the benchmark times. A month's cells
    /// depend on that month's rollups alone (a partition is a month of a series), so they are kept once published
    /// (<c>statistics.published_months</c>) with the month's cube version (<c>statistics.cube_months</c>, raised by a
    /// trigger whenever a rollup of the month changes). Only months whose version moved since are read from the cube again.
    /// Kept months recently served are also held in this process (<see cref="Recent"/>), as they never change.
    /// </summary>
    public static async Task<List<MeasureCell>> QueryAsync(StatisticsDbContext db, string tenant, MeasureDefinition definition, string by, DateOnly? from,
        DateOnly? to, int threshold, CancellationToken ct, StatisticsMetrics? metrics = null)
    {
        Dictionary<DateOnly, long> versions;
        var keptCells = new Dictionary<DateOnly, IReadOnlyList<MeasureCell>>();
        List<CubeRow> rows = [];
        RecentKey Key(DateOnly month, long version) => new(tenant, definition.Name, by, threshold, month, version);
        // One snapshot for the versions, the kept months and the rollups, so cells are kept with the version they were made from.
        await using (var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
        {
            // Plans are cheap here and JIT compilation is not (over 100 ms for a ten-year table).
            await db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off", ct);
            versions = await db.CubeMonths.AsNoTracking()
                .Where(m => m.TenantId == tenant && (from == null || m.Month >= from) && (to == null || m.Month <= to))
                .ToDictionaryAsync(m => m.Month, m => m.Version, ct);
            var published = db.PublishedMonths.AsNoTracking()
                .Where(p => p.TenantId == tenant && p.Measure == definition.Name && p.By == by && p.Threshold == threshold
                    && (from == null || p.Month >= from) && (to == null || p.Month <= to));
            var kept = await published.Where(p => p.Format == CellsFormat).Select(p => new { p.Month, p.Version }).ToListAsync(ct);
            var current = kept.Where(k => versions.GetValueOrDefault(k.Month) == k.Version).Select(k => k.Month).ToList();
            var missing = new List<DateOnly>();
            foreach (var month in current)
            {
                if (Recent.TryGetValue(Key(month, versions[month]), out IReadOnlyList<MeasureCell>? held))
                {
                    keptCells[month] = held!;
                }
                else
                {
                    missing.Add(month);
                }
            }
            if (missing.Count > 0)
            {
                foreach (var p in await published.Where(p => missing.Contains(p.Month)).Select(p => new { p.Month, p.Cells }).ToListAsync(ct))
                {
                    var monthCells = JsonSerializer.Deserialize(p.Cells, KeptCellsJson.Default.ListMeasureCell)!;
                    keptCells[p.Month] = Hold(Key(p.Month, versions[p.Month]), monthCells);
                }
            }
            var stale = versions.Keys.Where(m => !keptCells.ContainsKey(m)).ToArray();
            if (stale.Length > 0)
            {
                rows = await ReadAsync(db, tenant, definition, by, MeasureCatalog.Dimensions[by], stale, ct);
            }
            await tx.CommitAsync(ct);
        }
        var fresh = Publish(definition, by, rows, threshold).GroupBy(c => c.Month).ToDictionary(g => g.Key, g => g.ToList());
        var cells = new List<MeasureCell>();
        var made = new List<PublishedMonth>();
        foreach (var (month, version) in versions.OrderBy(v => v.Key))
        {
            if (keptCells.TryGetValue(month, out var held))
            {
                cells.AddRange(held);
                continue;
            }
            var monthCells = fresh.GetValueOrDefault(month.ToString("yyyy-MM", CultureInfo.InvariantCulture)) ?? [];
            cells.AddRange(Hold(Key(month, version), monthCells));
            made.Add(new PublishedMonth
            {
                TenantId = tenant, Measure = definition.Name, By = by, Threshold = threshold, Month = month, Version = version, Format = CellsFormat,
                Cells = JsonSerializer.SerializeToUtf8Bytes(monthCells, KeptCellsJson.Default.ListMeasureCell),
            });
        }
        await KeepAsync(db, made, ct);
        metrics?.MonthsServed(versions.Count - made.Count, made.Count);
        return cells;
    }

    /// <summary>A kept month of one table as made from one version of the cube: never changes, so it can be held as it is.</summary>
    private readonly record struct RecentKey(string Tenant, string Measure, string By, int Threshold, DateOnly Month, long Version);

    /// <summary>Kept months recently served, by cell count: at most <see cref="RecentCells"/> cells (tens of megabytes) per process.</summary>
    private static readonly MemoryCache Recent = new(new MemoryCacheOptions { SizeLimit = RecentCells });

    private const int RecentCells = 250_000;

    private static IReadOnlyList<MeasureCell> Hold(RecentKey key, List<MeasureCell> cells)
    {
        Recent.Set(key, (IReadOnlyList<MeasureCell>)cells, new MemoryCacheEntryOptions { Size = Math.Max(1, cells.Count), SlidingExpiration = TimeSpan.FromHours(1) });
        return cells;
    }

    /// <summary>
    /// What a kept month was made by. Raise it with any change to what a month's cells are — <see cref="Publish"/>,
    /// <see cref="Suppression"/>, <see cref="MeasureCell"/>, a measure's series in <see cref="MeasureCatalog"/> — so months
    /// kept by the code before are made again rather than served.
    /// </summary>
    public const int CellsFormat = 1;

    /// <summary>Keeps months just published; a month kept meanwhile from a newer version is left as it is.</summary>
    private static async Task KeepAsync(StatisticsDbContext db, List<PublishedMonth> made, CancellationToken ct)
    {
        if (made.Count == 0)
        {
            return;
        }
        var k = made[0];
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO statistics.published_months (tenant_id, measure, dimension, threshold, month, version, format, cells)
            SELECT {k.TenantId}, {k.Measure}, {k.By}, {k.Threshold}, m.month, m.version, {CellsFormat}, m.cells
            FROM unnest({made.Select(m => m.Month).ToArray()}, {made.Select(m => m.Version).ToArray()}, {made.Select(m => m.Cells).ToArray()}) AS m(month, version, cells)
            ON CONFLICT (tenant_id, measure, dimension, threshold, month)
            DO UPDATE SET version = excluded.version, format = excluded.format, cells = excluded.cells
            WHERE published_months.version < excluded.version OR published_months.format <> excluded.format
            """, ct);
    }

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

    /// <summary>
    /// A sum over the cube, of one of two kinds. A figure row (<see cref="Place"/> false) is one group's count with one bucket
    /// value (medians only; else 0) and outcome — what a cell shows. A place row (true, nested tables only) is one unit's
    /// count within its municipality and region, over every value and outcome — what the nested suppression decides on.
    /// </summary>
    internal sealed record CubeRow(DateOnly Month, string Series, bool Place, string Region, string Municipality, string Unit, string Grp, int Value,
        bool Outcome, long Count);

    private static async Task<List<CubeRow>> ReadAsync(StatisticsDbContext db, string tenant, MeasureDefinition d, string by,
        (string Rollup, string Group) dimension, DateOnly[] months, CancellationToken ct)
    {
        // The rollup, group and column lists come from MeasureCatalog.Dimensions and this code, never from the request; the rest are parameters.
        // PostgreSQL sums what a table needs in one pass over the rows: per group (with the bucket value only for a median), and for a
        // nested table also per unit (the geography the three nested tables are suppressed on together), so only cells' worth of rows
        // travel, not every unit's bucket values.
        var value = d.MedianUnit is null ? "" : "value, ";
        var figures = $"month, series, {GroupColumns(by, dimension.Group)}, {value}outcome";
        var nested = MeasureCatalog.Nested.Contains(by);
        var grouping = nested ? $"GROUPING SETS (({figures}), (month, series, region_code, municipality_code, unit_id))" : figures;
        var geography = nested
            ? "coalesce(region_code, '') AS \"Region\", coalesce(municipality_code, '') AS \"Municipality\", coalesce(unit_id, '') AS \"Unit\""
            : "'' AS \"Region\", '' AS \"Municipality\", '' AS \"Unit\"";
        var sql = $"""
            SELECT month AS "Month", series AS "Series", GROUPING(outcome) = 1 AS "Place", {geography},
                   coalesce({dimension.Group}, '') AS "Grp", {(value == "" ? "0" : "coalesce(value, 0)")} AS "Value", coalesce(outcome, false) AS "Outcome",
                   sum(count)::bigint AS "Count"
            FROM statistics.rollups
            WHERE tenant_id = @tenant AND dimension = @dimension AND (series = ANY(@series) OR (@prefix <> '' AND starts_with(series, @prefix)))
              AND month = ANY(@months)
            GROUP BY {grouping}
            """;
        return await db.Database.SqlQueryRaw<CubeRow>(sql,
                new Npgsql.NpgsqlParameter("tenant", tenant), new Npgsql.NpgsqlParameter("dimension", dimension.Rollup),
                new Npgsql.NpgsqlParameter("series", d.Series.ToArray()), new Npgsql.NpgsqlParameter("prefix", d.SeriesPrefix ?? ""),
                new Npgsql.NpgsqlParameter("months", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Date) { Value = months })
            .ToListAsync(ct);

        // The columns a group is made of: a unit is named within its municipality.
        static string GroupColumns(string by, string group) => by switch
        {
            "region" => "region_code",
            "municipality" => "municipality_code",
            "unit" => "municipality_code, unit_id",
            _ => group,
        };
    }

    /// <summary>The published cells: per month and series, one per group and a total, suppressed as <see cref="Suppression"/> decides.</summary>
    internal static List<MeasureCell> Publish(MeasureDefinition d, string by, IEnumerable<CubeRow> rows, int threshold)
    {
        var cells = new List<MeasureCell>();
        foreach (var partition in rows.GroupBy(r => (r.Month, r.Series)).OrderBy(p => p.Key.Month).ThenBy(p => p.Key.Series, StringComparer.Ordinal))
        {
            var figures = partition.Where(r => !r.Place).ToList();
            var groups = figures.GroupBy(r => r.Grp).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            var (hidden, totalHidden) = Suppression.Decide([.. groups.Select(g => g.Sum(r => r.Count))], threshold);
            if (MeasureCatalog.Nested.Contains(by))
            {
                var (regions, municipalities, units) = Suppression.DecideNested(
                    [.. partition.Where(r => r.Place).Select(r => new Suppression.Place(r.Region, r.Municipality, r.Unit, r.Count))], threshold);
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
            cells.Add(Cell(d, month, partition.Key.Series, Total, true, figures, totalHidden));
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

/// <summary>Kept months' cells as JSON, by generated code: a ten-year table by unit reads some 20,000 cells back.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<MeasureCell>))]
internal sealed partial class KeptCellsJson : System.Text.Json.Serialization.JsonSerializerContext;

public sealed record MeasureInfo(string Name, string Title);

public sealed record MeasureCatalogResponse(IReadOnlyList<MeasureInfo> Measures, IReadOnlyList<string> Dimensions);

/// <summary>One measure by month and one dimension. <see cref="Threshold"/> is the suppression threshold applied.</summary>
public sealed record MeasureTable(string Measure, string Title, string By, int Threshold, string? ShareOf, string? MedianUnit, IReadOnlyList<MeasureCell> Cells);

/// <summary>
/// One published cell: <see cref="Count"/> facts, <see cref="Outcome"/> of them with the outcome (share in <see cref="Share"/>)
/// and the <see cref="Median"/> bucket value. A suppressed cell shows none of them.
/// </summary>
public sealed record MeasureCell(string Month, string Series, string Group, bool Total, long? Count, long? Outcome, double? Share, double? Median, bool Suppressed);
