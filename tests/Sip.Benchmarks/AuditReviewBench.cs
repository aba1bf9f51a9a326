using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;
using Sip.ServiceDefaults.Data;

/// <summary>
/// (d) The audit review on five years of rows: the query the review runs (<see cref="AuditReviewQuery"/>, the same EF
/// code the services run) for an individual and for a user over one year, first page and a deep page (after 400 rows),
/// on the partitioned table built by the services' own migration SQL, against the same query on an unpartitioned copy
/// with the same indexes, in the same run. Rows are generated in SQL (generate_series), spread over 3 tenants,
/// 100,000 individuals and 2,000 users per tenant.
/// </summary>
internal static class AuditReviewBench
{
    private const string Partitioned = "bench_audit";
    private const string Flat = "bench_audit_flat";
    private const int Samples = 200;

    // Usage: Sip.Benchmarks audit-review <admin-connection-string> [rows]
    public static async Task RunAsync(string[] args)
    {
        var admin = args[0];
        var rows = args.Length > 1 ? long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20_000_000;
        var watch = Stopwatch.StartNew();
        await BenchSql.ExecuteAsync(admin, $"""
            DROP SCHEMA IF EXISTS {Partitioned} CASCADE; DROP SCHEMA IF EXISTS {Flat} CASCADE;
            CREATE SCHEMA {Partitioned}; CREATE SCHEMA {Flat};
            CREATE TABLE {Partitioned}.audit_entries (
              id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT "PK_audit_entries" PRIMARY KEY,
              tenant_id character varying(64) NOT NULL, actor character varying(128) NOT NULL, actor_unit_id uuid NULL,
              actor_roles character varying(256) NOT NULL, action character varying(64) NOT NULL, individual_id uuid NULL,
              case_id uuid NULL, purpose character varying(128) NOT NULL, at timestamp with time zone NOT NULL);
            CREATE INDEX ix_audit_individual ON {Partitioned}.audit_entries (tenant_id, individual_id, at);
            """);
        // The services' own migration (AuditPartitioned), as SQL.
        var migration = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        migration.PartitionAuditLogByMonth(Partitioned);
        foreach (var op in migration.Operations.OfType<SqlOperation>())
        {
            await BenchSql.ExecuteAsync(admin, op.Sql);
        }
        await BenchSql.ExecuteAsync(admin, $"""
            SELECT {Partitioned}.audit_ensure_partitions(now() - interval '5 years', now() + interval '3 months');
            INSERT INTO {Partitioned}.audit_entries (tenant_id, actor, actor_unit_id, actor_roles, action, individual_id, case_id, purpose, at)
            SELECT 'tenant-' || (g % 3), 'user-' || (g % 3) || '-' || ((g / 3) % 2000), md5('unit' || (g % 300))::uuid, 'staff', 'case.read',
                   md5('individual' || (g % 3) || '-' || ((g / 3) % 100000))::uuid, md5('case' || (g % 500000))::uuid, 'Samordnad individuell plan',
                   now() - (g::double precision / {rows}) * interval '5 years'
            FROM generate_series(1, {rows}) g;
            CREATE TABLE {Flat}.audit_entries AS SELECT * FROM {Partitioned}.audit_entries;
            ALTER TABLE {Flat}.audit_entries ADD PRIMARY KEY (id);
            CREATE INDEX ix_audit_individual ON {Flat}.audit_entries (tenant_id, individual_id, at);
            CREATE INDEX ix_audit_actor ON {Flat}.audit_entries (tenant_id, actor, at);
            ANALYZE {Partitioned}.audit_entries; ANALYZE {Flat}.audit_entries;
            """);
        var partitions = await BenchSql.ScalarAsync<long>(admin, $"SELECT count(*) FROM pg_inherits WHERE inhparent = '{Partitioned}.audit_entries'::regclass");
        Console.WriteLine($"(d) audit review: {rows:N0} rows over 5 years in {partitions} monthly partitions (generated and indexed in {watch.Elapsed.TotalSeconds:F0} s), " +
            $"and an unpartitioned copy with the same indexes; {Samples} queries each, one year (the year before last), 50 rows a page");

        var to = DateTimeOffset.UtcNow.AddYears(-1);
        var from = to.AddYears(-1);
        var random = new Random(13);
        AuditReviewQuery Individual()
        {
            var tenant = random.Next(3);
            return new($"tenant-{tenant}", [IndividualId(tenant, random.Next(100_000))], null, from, to, null, 0, 50);
        }
        AuditReviewQuery User()
        {
            var tenant = random.Next(3);
            return new($"tenant-{tenant}", [], $"user-{tenant}-{random.Next(2000)}", from, to, null, 0, 50);
        }

        foreach (var (name, make, deep) in new (string, Func<AuditReviewQuery>, bool)[]
        {
            ("individual, first page", Individual, false),
            ("user, first page", User, false),
            ("user, deep page (after 400 rows)", User, true),
        })
        {
            var queries = Enumerable.Range(0, Samples).Select(_ => make()).ToList();
            if (deep)
            {
                await using var db = Db(admin, Partitioned);
                for (var i = 0; i < queries.Count; i++)
                {
                    // After 400 rows, or half of what the user has when fewer (the small runs).
                    var skipped = await (queries[i] with { Limit = 400 }).RunAsync(db, default);
                    if (skipped.Count > 0)
                    {
                        var last = skipped.Count == 400 ? skipped[^1] : skipped[Math.Max(0, skipped.Count / 2 - 1)];
                        queries[i] = queries[i] with { BeforeAt = last.At, BeforeId = last.Id };
                    }
                }
            }
            var flat = await MeasureAsync(admin, Flat, queries);
            var partitioned = await MeasureAsync(admin, Partitioned, queries);
            Console.WriteLine($"  {name,-34} partitioned p50 {partitioned.P50:F2} ms p99 {partitioned.P99:F2} ms ({partitioned.Rows:F0} rows/query) | " +
                $"unpartitioned p50 {flat.P50:F2} ms p99 {flat.P99:F2} ms | ratio partitioned/unpartitioned p50 {partitioned.P50 / flat.P50:F2} p99 {partitioned.P99 / flat.P99:F2}");
        }
        if (Environment.GetEnvironmentVariable("SIP_BENCH_KEEP") != "1")
        {
            await BenchSql.ExecuteAsync(admin, $"DROP SCHEMA {Partitioned} CASCADE; DROP SCHEMA {Flat} CASCADE;");
        }
    }

    private static Guid IndividualId(int tenant, int n) =>
        new(Convert.ToHexString(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"individual{tenant}-{n}"))));

    private static async Task<(double P50, double P99, double Rows)> MeasureAsync(string admin, string schema, List<AuditReviewQuery> queries)
    {
        await using var db = Db(admin, schema);
        foreach (var q in queries.Take(20))
        {
            await q.RunAsync(db, default);   // warm-up: plan cache, connection
        }
        var times = new List<double>();
        long rows = 0;
        foreach (var q in queries)
        {
            var t = Stopwatch.GetTimestamp();
            rows += (await q.RunAsync(db, default)).Count;
            times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.99) - 1], rows / (double)queries.Count);
    }

    private static AuditBenchDb Db(string admin, string schema) =>
        new(new DbContextOptionsBuilder<AuditBenchDb>().UseNpgsql(admin).Options, schema);
}

/// <summary>The audit table of one benchmark schema; one model per schema (EF caches models by this key).</summary>
internal sealed class AuditBenchDb(DbContextOptions<AuditBenchDb> options, string schema) : DbContext(options)
{
    public string Schema => schema;

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, SchemaModelCacheKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema(schema).AddAuditLog();
}

internal sealed class SchemaModelCacheKey : Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) => (context.GetType(), ((AuditBenchDb)context).Schema, designTime);
}
