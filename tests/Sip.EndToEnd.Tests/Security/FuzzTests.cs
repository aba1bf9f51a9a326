using System.Diagnostics;
using System.Globalization;
using System.Net;
using CsCheck;
using Npgsql;

namespace Sip.EndToEnd.Tests.Security;

/// <summary>
/// A bounded fuzz run (issue 13) over every operation of every OpenAPI document, through the gateway, in a tenant of its own
/// with a seeded case so the stateful paths are reached. CsCheck generates the requests — valid ones and ones the document
/// calls invalid — and shrinks a failure to the simplest request that still fails. Budget: SIP_FUZZ_SECONDS (default 60).
/// </summary>
public sealed class FuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);
    private static readonly int Budget = int.TryParse(Environment.GetEnvironmentVariable("SIP_FUZZ_SECONDS"), out var s) ? s : 60;

    public sealed record Sample(int Operation, Mutation Mutation, int Pick, string Text);

    [Fact]
    public async Task No_request_gets_a_5xx_or_hangs_every_invalid_one_is_refused_and_nothing_refused_is_stored()
    {
        var clock = Stopwatch.StartNew();
        var table = AuthorizationMatrix.Load();
        // An operation without a row fails the matrix test; here it would lack its valid request.
        var operations = (await OpenApiCatalog.LoadAsync(Ct)).Where(op => table.ContainsKey(op.Key)).ToList();
        var tenant = $"fuzz-{Guid.NewGuid():N}"[..13];
        var cast = await Cast.NewTenantAsync(tenant, Ct);
        var scenario = await Scenario.SeedAsync(cast, Ct);
        await SettleAsync(tenant);
        var seededAt = Stopwatch.StartNew();
        var dirty = false;
        var (sent, refused, invalidSent, acceptedChanges) = (0, 0, 0, 0);
        var perMutation = new Dictionary<Mutation, int>();
        var statuses = new Dictionary<int, int>();
        var gate = new SemaphoreSlim(1);

        // Each operation is called as the role the matrix lets through (the one that changes or reads the seeded case).
        Role Caller(Operation op) => cast[new[] { "coordinator", "case-staff", "unit-admin", "directory-admin", "statistician" }
            .FirstOrDefault(r => table.TryGetValue(op.Key, out var row) && row.Expected[r] == "2xx") ?? "coordinator"];

        (Call Call, bool Invalid, string What, Operation Op) Realise(Sample sample)
        {
            var op = operations[sample.Operation];
            var (call, invalid, what) = RequestMutations.Apply(op, scenario.ValidCall(op, Caller(op)), sample.Mutation, sample.Pick, sample.Text);
            return (call, invalid, what, op);
        }

        var texts = Gen.OneOf(
            Gen.String,
            Gen.Const(""),
            Gen.OneOf<string>("å ä ö Å Ä Ö", "👩‍👩‍👧‍👦", "\u202Eabc", "e\u0301", "'; DROP TABLE cases; --", "<script>alert(1)</script>", "\uFEFF", "\uD800x", "%s%n{0}", "../../etc/passwd",
                "199001011234", "20000101-0008"));
        var gen = Gen.Select(Gen.Int[0, operations.Count - 1], Gen.Enum<Mutation>(), Gen.Int[0, 1000], texts, (o, m, p, t) => new Sample(o, m, p, t));

        await gen.SampleAsync(async sample =>
        {
            await gate.WaitAsync(Ct);
            try
            {
                if (dirty && seededAt.Elapsed > TimeSpan.FromSeconds(20))
                {
                    (scenario, dirty) = (await Scenario.SeedAsync(cast, Ct), false);
                    await SettleAsync(tenant);
                    seededAt.Restart();
                }
                var (call, invalid, what, op) = Realise(sample);
                using var client = Caller(op).Client();
                client.Timeout = RequestTimeout;
                var before = op.Unsafe ? await FingerprintAsync(tenant) : null;
                int status;
                string body;
                try
                {
                    (status, body) = await SendPacedAsync(scenario, client, call);
                }
                catch (TaskCanceledException) when (!Ct.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"no answer within {RequestTimeout.TotalSeconds} s ({what})");
                }
                sent++;
                invalidSent += invalid ? 1 : 0;
                perMutation[sample.Mutation] = perMutation.GetValueOrDefault(sample.Mutation) + 1;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                if (status >= 500)
                {
                    throw new InvalidOperationException($"{status} for {what}: {Short(body)}");
                }
                if (status == 429)
                {
                    throw new InvalidOperationException($"still 429 after pacing for {what}: the rate limit hid the answer");
                }
                if (invalid && status is < 400 or >= 500)
                {
                    throw new InvalidOperationException($"{status} for a request the document calls invalid ({what}): {Short(body)}");
                }
                if (status >= 400)
                {
                    refused++;
                    if (before is not null && await FingerprintAsync(tenant) is var after && !after.SequenceEqual(before))
                    {
                        throw new InvalidOperationException($"refused with {status} ({what}) but the tenant's stored rows changed: {Changed(before, after)}");
                    }
                }
                else if (op.Unsafe)
                {
                    dirty = true;
                    acceptedChanges += (await SettleAsync(tenant)).SequenceEqual(before!) ? 0 : 1;
                }
            }
            finally
            {
                gate.Release();
            }
        }, time: Budget, threads: 1, print: sample =>
        {
            var (call, invalid, what, op) = Realise(sample);
            return $"{op.Key} as {Caller(op).Name}, {what} (document: {(invalid ? "invalid" : "valid")})\n  {call.Reproducer}";
        });

        TestContext.Current.SendDiagnosticMessage($"fuzz: {sent} requests in {clock.Elapsed.TotalSeconds:F0} s over {operations.Count} operations in {tenant}, {invalidSent} invalid by the document, {refused} refused, {acceptedChanges} accepted changes; "
            + $"statuses {string.Join(' ', statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}×{kv.Value}"))}; mutations {string.Join(' ', perMutation.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}×{kv.Value}"))}");
        Assert.True(sent >= operations.Count, $"only {sent} requests in {Budget} s");
        // The stored-rows check sees writes at all: accepted changes did change the fingerprint.
        Assert.True(acceptedChanges > 0, "no accepted POST/PUT changed the tenant's fingerprint: the check for refused requests would see nothing either");
    }

    /// <summary>Sends; a 429 waits for the bucket to refill and tries again, so the rate limit never stands in for an answer.</summary>
    private static async Task<(int Status, string Body)> SendPacedAsync(Scenario scenario, HttpClient client, Call call)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await scenario.SendAsync(client, call, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 3)
            {
                return ((int)response.StatusCode, body);
            }
            await Task.Delay(TimeSpan.FromSeconds(1 << attempt), Ct);
        }
    }

    private static string Short(string body) => body.Length > 300 ? body[..300] + "…" : body;

    private static readonly string[] Tables =
    [
        "cases.cases t WHERE tenant_id = @tenant",
        "cases.initiatives t WHERE case_id IN (SELECT id FROM cases.cases WHERE tenant_id = @tenant)",
        "cases.case_messages t WHERE case_id IN (SELECT id FROM cases.cases WHERE tenant_id = @tenant)",
        "cases.plan_versions t WHERE tenant_id = @tenant",
        "cases.plan_revisions t WHERE plan_version_id IN (SELECT id FROM cases.plan_versions WHERE tenant_id = @tenant)",
        "cases.units t WHERE tenant_id = @tenant",
        "cases.staff t WHERE tenant_id = @tenant",
        "consent.individuals t WHERE tenant_id = @tenant",
        "consent.consents t WHERE tenant_id = @tenant",
        "meeting_scheduling.meetings t WHERE tenant_id = @tenant",
        "meeting_scheduling.summons t WHERE meeting_id IN (SELECT id FROM meeting_scheduling.meetings WHERE tenant_id = @tenant)",
        "meeting_scheduling.letters t WHERE meeting_id IN (SELECT id FROM meeting_scheduling.meetings WHERE tenant_id = @tenant)",
        "meeting_scheduling.calendar_feeds t WHERE tenant_id = @tenant",
    ];

    /// <summary>
    /// What the tenant has stored, one hash per table (the tables an API request writes; audit, outbox and the tables that
    /// only events fill are left out, since consumers write them after the request).
    /// </summary>
    private static async Task<string[]> FingerprintAsync(string tenant)
    {
        await using var connection = new NpgsqlConnection(Platform.AdminConnection);
        await connection.OpenAsync(Ct);
        var sql = "SELECT " + string.Join(", ", Tables.Select(t => $"(SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '' ORDER BY t::text)), '') FROM {t})"));
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenant);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        await reader.ReadAsync(Ct);
        return [.. Enumerable.Range(0, Tables.Length).Select(i => reader.GetString(i))];
    }

    private static string Changed(string[] before, string[] after) =>
        string.Join(", ", Enumerable.Range(0, Tables.Length).Where(i => before[i] != after[i]).Select(i => Tables[i].Split(' ')[0]));

    private static readonly string[] Outboxes = ["cases", "consent", "meeting_scheduling", "notification", "statistics"];

    /// <summary>
    /// After an accepted change or a seeding, waits until what its events set off has been stored, so it is not taken for a
    /// refused request's doing: the tenant's events all published and the fingerprint unchanged for two checks in a row
    /// (a consumer's write lands after its event left the outbox). At most 10 s; a loaded machine once needed more than
    /// the single 250 ms of quiet this waited for before.
    /// </summary>
    private static async Task<string[]> SettleAsync(string tenant)
    {
        var last = await FingerprintAsync(tenant);
        for (var (i, quiet) = (0, 0); i < 40 && quiet < 2; i++)
        {
            await Task.Delay(250, Ct);
            var now = await FingerprintAsync(tenant);
            quiet = now.SequenceEqual(last) && await UnpublishedAsync(tenant) == 0 ? quiet + 1 : 0;
            last = now;
        }
        return last;
    }

    private static async Task<long> UnpublishedAsync(string tenant)
    {
        await using var connection = new NpgsqlConnection(Platform.AdminConnection);
        await connection.OpenAsync(Ct);
        var sql = "SELECT " + string.Join(" + ", Outboxes.Select(o => $"(SELECT count(*) FROM {o}.outbox_messages WHERE tenant_id = @tenant AND sent_at IS NULL AND parked_at IS NULL)"));
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("tenant", tenant);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
