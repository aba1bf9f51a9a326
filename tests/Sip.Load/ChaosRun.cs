using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Sip.Load;

/// <summary>
/// ./sip chaos: SIP_CHAOS_OPERATIONS (default 10,000) operations through the gateway — people and consents, cases with
/// initiatives, acknowledgements, plan edits, withdrawals — at SIP_CHAOS_RATE per second (default 30), while RabbitMQ and
/// PostgreSQL are restarted and every service and the gateway is killed with SIGKILL once. Then it waits for the platform
/// to settle and counts every effect the committed changes must have had, from the services' own outboxes (what was
/// committed is the truth, whatever the client was told): each event consumed by each of its consumers, each e-mail in
/// the SMTP sink, each initiative in the statistics. Lost and duplicated effects must both be 0 (exit code 1 otherwise).
/// </summary>
public static class ChaosRun
{
    /// <summary>Who must consume each event the run raises (service schema, consumer class).</summary>
    private static readonly (string Schema, string Type, string ConsumerSchema, string Consumer)[] Consumption =
    [
        ("cases", "Sip.Contracts.Case.InitiativeSent", "notification", "InitiativeSentConsumer"),
        ("cases", "Sip.Contracts.Statistics.InitiativeSentFact", "statistics", "InitiativeSentFactConsumer"),
        ("cases", "Sip.Contracts.Case.CaseOpened", "meeting_scheduling", "CaseOpenedConsumer"),
        ("cases", "Sip.Contracts.Case.InitiativeAnswered", "notification", "InitiativeAnsweredConsumer"),
        ("cases", "Sip.Contracts.Case.CaseCancelled", "notification", "CaseCancelledConsumer"),
        ("cases", "Sip.Contracts.Case.CaseCancelled", "meeting_scheduling", "CaseCancelledConsumer"),
        ("consent", "Sip.Contracts.Consent.ConsentWithdrawn", "cases", "ConsentWithdrawnConsumer"),
    ];

    private static readonly string[] Victims = ["consent", "case", "meeting-scheduling", "notification", "statistics", "gateway"];

    public static async Task<int> RunAsync(Settings settings)
    {
        var operations = (int)Settings.Number("SIP_CHAOS_OPERATIONS", 10_000);
        var rate = Settings.Number("SIP_CHAOS_RATE", 30);
        var settle = TimeSpan.FromSeconds(Settings.Number("SIP_CHAOS_SETTLE_SECONDS", 1500));
        var anna = new Staff(settings.Gateway, settings.AnnaToken, TimeSpan.FromSeconds(15));
        var erik = new Staff(settings.Gateway, settings.ErikToken, TimeSpan.FromSeconds(15));
        var municipality = await FreshMunicipalityAsync(settings.AdminConnection);
        var workload = new Workload(anna, erik, municipality);

        Console.WriteLine($"# sip chaos — {DateTime.UtcNow:yyyy-MM-ddTHH:mmZ}, {operations} operations at {rate:F0}/s, municipality {municipality}");
        var from = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20; i++)
        {
            await workload.RegisterAsync(CancellationToken.None);
            await workload.OpenCaseWithPlanAsync(CancellationToken.None);
        }

        var duration = TimeSpan.FromSeconds(operations / rate);
        using var stop = new CancellationTokenSource();
        var disruptions = DisruptAsync(settings.Root, duration, stop.Token);
        var run = await PacedRun.RunAsync(rate, duration, Mix(workload), maxInFlight: 4096);
        await disruptions;
        Console.WriteLine("\n## the operations (errors are the outages' refusals; what counts is what was committed)");
        run.Print(Console.Out);
        run.PrintTimeline(Console.Out);

        Console.WriteLine($"\n## settling (at most {settle.TotalSeconds:F0} s: a consumer that failed waits 1, 5, then 15 minutes for its delayed redelivery)");
        var clock = Stopwatch.StartNew();
        Effects effects;
        while (true)
        {
            effects = await CountAsync(settings, municipality, from);
            if (effects.Settled || clock.Elapsed > settle)
            {
                break;
            }
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s: {effects.Summary}");
            await Task.Delay(TimeSpan.FromSeconds(15));
        }
        effects.Print(Console.Out);
        return effects.Lost == 0 && effects.Duplicated == 0 ? 0 : 1;
    }

    private static Func<Operation> Mix(Workload w)
    {
        var created = new[] { HttpStatusCode.OK, HttpStatusCode.Created };
        var table = new (int Weight, Operation Operation)[]
        {
            (15, new Operation("person + consent", w.RegisterAsync, created)),
            (30, new Operation("case + initiative", w.OpenCaseAsync, created)),
            (20, new Operation("acknowledgement", w.AcknowledgeAsync, HttpStatusCode.OK)),
            (15, new Operation("plan edit", w.EditPlanAsync, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed)),
            (5, new Operation("withdrawal", w.WithdrawAsync, HttpStatusCode.OK, HttpStatusCode.Created)),
            (15, w.InboxOf("inbox", municipal: true)),
        };
        var total = table.Sum(t => t.Weight);
        return () =>
        {
            var pick = Random.Shared.Next(total);
            return table.First(t => (pick -= t.Weight) < 0).Operation;
        };
    }

    /// <summary>Restarts the broker, then the database, then kills each service and the gateway with SIGKILL and starts it again, spread over the run.</summary>
    private static async Task DisruptAsync(string root, TimeSpan duration, CancellationToken ct)
    {
        var steps = new List<(string What, Func<Task> Act)>
        {
            ("restart RabbitMQ", async () => { await SipAsync(root, "stop", "rabbitmq"); await Task.Delay(3000); await SipAsync(root, "start", "rabbitmq"); }),
            ("restart PostgreSQL", async () => { await SipAsync(root, "stop", "postgres"); await Task.Delay(3000); await SipAsync(root, "start", "postgres"); }),
        };
        steps.AddRange(Victims.Select(name => ($"kill -9 {name}", (Func<Task>)(async () =>
        {
            var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(root, ".sip", "pids", $"{name}.pid")), CultureInfo.InvariantCulture);
            Process.GetProcessById(pid).Kill();
            // Gone only when the pid is: ./sip start leaves a component alone while its pid still answers.
            for (var waited = 0; waited < 300 && Alive(pid); waited++)
            {
                await Task.Delay(100);
            }
            await SipAsync(root, "start", name);
        }))));
        var gap = duration / (steps.Count + 1);
        var clock = Stopwatch.StartNew();
        foreach (var (i, (what, act)) in steps.Index())
        {
            var wait = gap * (i + 1) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }
            var started = clock.Elapsed;
            await act();
            Console.WriteLine($"  {started.TotalSeconds,5:F0} s: {what} (back after {(clock.Elapsed - started).TotalSeconds:F0} s)");
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task SipAsync(string root, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(root, "sip")) { WorkingDirectory = root, RedirectStandardError = true, RedirectStandardOutput = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./sip {string.Join(' ', args)} failed: {await output}");
        }
    }

    private static async Task<Effects> CountAsync(Settings settings, string municipality, DateTimeOffset from)
    {
        var effects = new Effects();
        NpgsqlConnection.ClearAllPools();
        await using var db = new NpgsqlConnection(settings.AdminConnection);
        await db.OpenAsync();

        foreach (var (schema, type, consumerSchema, consumer) in Consumption)
        {
            var expected = await ScalarAsync(db, $"SELECT count(*) FROM \"{schema}\".outbox_messages WHERE message_type = @type AND created_at >= @from", type, from);
            var missing = await ScalarAsync(db, $"""
                SELECT count(*) FROM "{schema}".outbox_messages o WHERE o.message_type = @type AND o.created_at >= @from
                AND NOT EXISTS (SELECT 1 FROM "{consumerSchema}".inbox_messages i WHERE i.consumer = @consumer AND i.message_id = o.id)
                """, type, from, consumer);
            effects.Add($"{type.Split('.')[^1]} → {consumerSchema}", expected, expected - missing, missing, 0);
        }
        var unsent = 0L;
        var parked = 0L;
        foreach (var schema in new[] { "consent", "cases", "meeting_scheduling", "notification", "statistics" })
        {
            if (await ScalarAsync(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = @type AND table_name = 'outbox_messages'", schema, from) == 0)
            {
                continue;
            }
            unsent += await ScalarAsync(db, $"SELECT count(*) FROM \"{schema}\".outbox_messages WHERE sent_at IS NULL AND parked_at IS NULL AND created_at >= @from", "", from);
            parked += await ScalarAsync(db, $"SELECT count(*) FROM \"{schema}\".outbox_messages WHERE parked_at IS NOT NULL AND created_at >= @from", "", from);
        }
        effects.Unsent = unsent;
        effects.Parked = parked;

        // E-mails: each initiative to the receiving unit's mailbox, each cancellation to every participant's.
        var mailboxes = Mailboxes(settings.Root);
        var expectedMail = new List<(string Subject, string To)>();
        foreach (var body in await BodiesAsync(db, "Sip.Contracts.Case.InitiativeSent", from))
        {
            expectedMail.Add(($"Nytt SIP-initiativ att besvara – {Text(body, "caseReference")}", mailboxes[Guid.Parse(Text(body, "toUnitId"))]));
        }
        foreach (var body in await BodiesAsync(db, "Sip.Contracts.Case.CaseCancelled", from))
        {
            var reference = Text(body, "caseReference");
            foreach (var unit in Property(body, "participantUnitIds").EnumerateArray())
            {
                if (mailboxes.TryGetValue(unit.GetGuid(), out var mailbox))
                {
                    expectedMail.Add(($"SIP-ärende avbrutet – {reference}", mailbox));
                }
            }
        }
        // SMTP has no exactly-once: a sender killed between the relay's "250 OK" and its own commit sends the same
        // message again. Each delivery has one Message-ID (the delivery's id), so a resend is told apart from a second
        // message: a duplicated effect is a second Message-ID; a resend of the same one is reported on its own.
        using var mailApi = new HttpClient { BaseAddress = settings.MailApi };
        var sent = (await mailApi.GetFromJsonAsync<JsonElement[]>("email"))!
            .SelectMany(m => Property(m, "to").EnumerateArray().Select(to => (Subject: Text(m, "subject"), To: Text(to, "address").ToLowerInvariant(), Id: Text(m, "messageId"))))
            .GroupBy(m => (m.Subject, m.To))
            .ToDictionary(g => g.Key, g => (Copies: g.Count(), Messages: g.Select(m => m.Id).Distinct().Count()));
        var received = expectedMail.Select(m => sent.GetValueOrDefault((m.Subject, m.To.ToLowerInvariant()))).ToList();
        effects.Add("e-mails in the SMTP sink", expectedMail.Count, received.Count(r => r.Messages > 0), received.Count(r => r.Messages == 0), received.Sum(r => Math.Max(0, r.Messages - 1)));
        effects.Resent = received.Sum(r => r.Copies - r.Messages);

        // Statistics: every initiative counted once.
        var initiatives = await ScalarAsync(db, "SELECT count(*) FROM cases.outbox_messages WHERE message_type = @type AND created_at >= @from", "Sip.Contracts.Case.InitiativeSent", from);
        // Read from the cube, which is what was counted: the API would suppress small cells of the same table.
        await using var cube = new NpgsqlCommand(
            "SELECT coalesce(sum(count), 0) FROM statistics.rollups WHERE series = 'initiative' AND dimension = 'geo' AND municipality_code = @m", db);
        cube.Parameters.AddWithValue("m", municipality);
        var countedTotal = Convert.ToInt64(await cube.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        effects.Add("initiatives in statistics", initiatives, countedTotal, Math.Max(0, initiatives - countedTotal), Math.Max(0, countedTotal - initiatives));
        return effects;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection db, string sql, string type, DateTimeOffset from, string? consumer = null)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("consumer", consumer ?? "");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<List<JsonElement>> BodiesAsync(NpgsqlConnection db, string type, DateTimeOffset from)
    {
        await using var command = new NpgsqlCommand("SELECT body::text FROM cases.outbox_messages WHERE message_type = @type AND created_at >= @from", db);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("from", from);
        var bodies = new List<JsonElement>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            bodies.Add(JsonDocument.Parse(reader.GetString(0)).RootElement.Clone());
        }
        return bodies;
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string Text(JsonElement element, string name) => Property(element, name).GetString()!;

    private static Dictionary<Guid, string> Mailboxes(string root)
    {
        using var tenant = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "gateway", "Sip.DevTools", "demo-tenant.json")));
        return tenant.RootElement.GetProperty("units").EnumerateArray()
            .Where(u => u.TryGetProperty("functionalMailbox", out _))
            .ToDictionary(u => u.GetProperty("id").GetGuid(), u => u.GetProperty("functionalMailbox").GetString()!);
    }

    /// <summary>A municipality code (9xxx, no real one) that no case has used, so the run's statistics start at zero.</summary>
    private static async Task<string> FreshMunicipalityAsync(string adminConnection)
    {
        await using var db = new NpgsqlConnection(adminConnection);
        await db.OpenAsync();
        while (true)
        {
            var code = "9" + Random.Shared.Next(0, 1000).ToString("D3", CultureInfo.InvariantCulture);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM cases.cases WHERE municipality_code = @code", db);
            command.Parameters.AddWithValue("code", code);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) == 0)
            {
                return code;
            }
        }
    }
}

/// <summary>Each effect expected of the committed changes, as found.</summary>
public sealed class Effects
{
    private readonly List<(string What, long Expected, long Found, long Lost, long Duplicated)> rows = [];

    public long Unsent { get; set; }
    public long Parked { get; set; }
    public long Resent { get; set; }
    public long Lost => rows.Sum(r => r.Lost) + Parked;
    public long Duplicated => rows.Sum(r => r.Duplicated);
    public bool Settled => Unsent == 0 && Lost == 0;
    public string Summary => $"{Unsent} events unsent, {Lost} effects missing so far, {Duplicated} duplicated";

    public void Add(string what, long expected, long found, long lost, long duplicated) => rows.Add((what, expected, found, lost, duplicated));

    public void Print(TextWriter output)
    {
        output.WriteLine($"\n  {"effect",-44} {"expected",9} {"found",9} {"lost",6} {"duplicated",10}");
        foreach (var r in rows)
        {
            output.WriteLine($"  {r.What,-44} {r.Expected,9} {r.Found,9} {r.Lost,6} {r.Duplicated,10}");
        }
        output.WriteLine($"  outbox rows unsent: {Unsent}, parked: {Parked}");
        output.WriteLine($"  e-mails resent with the same Message-ID (a sender killed between the relay's acceptance and its own commit): {Resent}");
        output.WriteLine($"\nlost effects: {Lost}, duplicated effects: {Duplicated}");
    }
}
