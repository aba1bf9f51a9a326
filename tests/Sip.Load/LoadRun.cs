using System.Globalization;
using System.Net;
using Npgsql;

namespace Sip.Load;

/// <summary>
/// ./sip load: a region's day through the gateway. First ever higher multiples of the national high estimate
/// (docs/benchmarks.md derives it: ~700 requests/s, of which ~8 % are writes that raise ~56 events/s) for
/// SIP_LOAD_STEP_SECONDS each (default 20), until p99 reaches 50 ms, errors pass one in a thousand or the client cannot
/// keep the pace: the last multiple that held is the platform's headroom. Then the estimate itself for SIP_LOAD_SECONDS
/// (default 300), with p50/p99 per operation. The steps come first because a rate the platform cannot hold leaves
/// backlogs that would spoil the steps after it.
/// </summary>
public static class LoadRun
{
    public const double NationalHighEstimate = 700;
    public const double P99BoundMs = 50;
    private static readonly double[] Multiples = [0.1, 0.15, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 8, 10];

    public static async Task<int> RunAsync(Settings settings)
    {
        var anna = new Staff(settings.Gateway, settings.AnnaToken, TimeSpan.FromSeconds(10));
        var erik = new Staff(settings.Gateway, settings.ErikToken, TimeSpan.FromSeconds(10));
        var workload = new Workload(anna, erik, Settings.Env("SIP_LOAD_MUNICIPALITY", "1481"));
        var seconds = Settings.Number("SIP_LOAD_SECONDS", 300);
        var stepSeconds = Settings.Number("SIP_LOAD_STEP_SECONDS", 20);
        var rate = Settings.Number("SIP_LOAD_RATE", NationalHighEstimate);
        var multiples = Settings.Env("SIP_LOAD_STEPS", "") is { Length: > 0 } steps
            ? steps.Split(',').Select(m => double.Parse(m, CultureInfo.InvariantCulture)).ToArray()
            : Multiples;
        var cpu = PlatformCpu.Of(settings.Root);

        Console.WriteLine($"# sip load — {DateTime.UtcNow:yyyy-MM-ddTHH:mmZ}, {Environment.ProcessorCount} cores, gateway {settings.Gateway}");
        if (await cpu.WaitForIdleAsync(TimeSpan.FromMinutes(3)) is (var busyFor, _, _) && busyFor > TimeSpan.FromSeconds(6))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waited {busyFor.TotalSeconds:F0} s for the platform to finish earlier work"));
        }
        await SetUpAsync(workload, Settings.Number("SIP_LOAD_PEOPLE", 60));
        try
        {
            return await MeasureAsync(settings, workload, anna, cpu, seconds, stepSeconds, rate, multiples);
        }
        finally
        {
            // Every case the run opened ends with its person's consent, so that the next run meets the units' inboxes and
            // summons as this one did, not with every earlier run's cases on top (they grew each run: 2,600 inbox items and
            // 455 awaiting summons in one unit by run AC, which cost every inbox and summons read more).
            var (withdrawn, failed) = await workload.WithdrawEveryoneAsync(CancellationToken.None);
            var (waited, idle, _) = await cpu.WaitForIdleAsync(TimeSpan.FromMinutes(5));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\nclean-up: {withdrawn} people withdrew their consent, which cancels their cases and meetings{(failed > 0 ? $" ({failed} withdrawals failed)" : "")}; the platform {(idle ? "was idle again" : "was still busy")} after {waited.TotalSeconds:F0} s"));
        }
    }

    private static async Task<int> MeasureAsync(Settings settings, Workload workload, Staff anna, PlatformCpu cpu, double seconds, double stepSeconds, double rate, double[] multiples)
    {
        var mix = Mix(workload);
        // Long enough for every service's tiered JIT to settle: right after ./sip up a 20 s warm-up left the first step
        // at ~26 ms of CPU per request against ~15 ms on the same platform warm (run Z).
        var warmUp = Settings.Number("SIP_LOAD_WARMUP_SECONDS", 60);
        Console.WriteLine($"\n## warm-up: 0.1× for {warmUp:F0} s");
        (await PacedRun.RunAsync(NationalHighEstimate / 10, TimeSpan.FromSeconds(warmUp), mix)).Print(TextWriter.Null);

        await BaselineAsync(anna, cpu, stepSeconds);

        if (Settings.Number("SIP_LOAD_PER_OPERATION_SECONDS", 0) is > 0 and var alone)
        {
            await EachAloneAsync(workload, cpu, alone);
        }

        Console.WriteLine($"\n## the highest mixed rate with p99 < {P99BoundMs} ms ({stepSeconds:F0} s per step)");
        double? held = null;
        foreach (var multiple in multiples)
        {
            var before = cpu.Snapshot();
            var step = await PacedRun.RunAsync(NationalHighEstimate * multiple, TimeSpan.FromSeconds(stepSeconds), mix);
            var all = step.All;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {multiple,5:0.##}× = {NationalHighEstimate * multiple,6:F0}/s: p50 {all.Percentile(0.5),6:F1} ms, p99 {all.Percentile(0.99),7:F1} ms, errors {all.Describe()}{(step.Holds(P99BoundMs) ? "" : "  ← does not hold")}"));
            Console.WriteLine($"          {PlatformCpu.PerRequest(before, cpu.Snapshot(), step.Sent)}");
            if (!step.Holds(P99BoundMs))
            {
                step.Print(Console.Out);
                break;
            }
            held = multiple;
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        Console.WriteLine(held is { } h
            ? string.Create(CultureInfo.InvariantCulture, $"\nsustained: {h:0.##}× the national high estimate ({NationalHighEstimate * h:F0} requests/s) with p99 < {P99BoundMs} ms")
            : $"\nsustained: not even {multiples[0]}× the national high estimate with p99 < {P99BoundMs} ms");
        if (seconds <= 0)
        {
            return 0;
        }
        // A rate the platform could not hold leaves open circuit breakers and queues behind: let them drain first.
        await Task.Delay(TimeSpan.FromSeconds(30));
        Console.WriteLine($"\n## {rate / NationalHighEstimate:0.##}× the national high estimate: {rate:F0} requests/s for {seconds:F0} s");
        var from = DateTimeOffset.UtcNow;
        var start = cpu.Snapshot();
        var nominal = await PacedRun.RunAsync(rate, TimeSpan.FromSeconds(seconds), mix);
        var events = await EventsSinceAsync(settings.AdminConnection, from);
        nominal.Print(Console.Out);
        nominal.PrintTimeline(Console.Out);
        Console.WriteLine($"  {PlatformCpu.PerRequest(start, cpu.Snapshot(), nominal.Sent)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  events committed: {events} ({events / nominal.Elapsed.TotalSeconds:F1}/s); p99 {(nominal.Holds(P99BoundMs) ? "<" : "≥")} {P99BoundMs} ms"));

        return 0;
    }

    /// <summary>
    /// The floor under every figure below: the same client and the same gateway, with the same token, answering the
    /// gateway's own /health/live (no service, no database) at the mix's lowest step, the estimate and ten times it. What
    /// it costs per request is what any platform behind this gateway pays on this machine before doing any work.
    /// </summary>
    private static async Task BaselineAsync(Staff staff, PlatformCpu cpu, double seconds)
    {
        var floor = new Operation("gateway alone", ct => staff.GetAsync("health/live", ct), HttpStatusCode.OK);
        Console.WriteLine($"\n## baseline: the gateway's own /health/live through the same client ({seconds:F0} s per rate)");
        foreach (var multiple in new[] { 0.1, 1, 10 })
        {
            var before = cpu.Snapshot();
            var run = await PacedRun.RunAsync(NationalHighEstimate * multiple, TimeSpan.FromSeconds(seconds), () => floor);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {multiple,5:0.##}× = {NationalHighEstimate * multiple,6:F0}/s: p50 {run.All.Percentile(0.5),6:F1} ms, p99 {run.All.Percentile(0.99),7:F1} ms, errors {run.All.Describe()}"));
            Console.WriteLine($"          {PlatformCpu.PerRequest(before, cpu.Snapshot(), run.Sent)}");
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
    }

    /// <summary>
    /// Each operation of the mix alone at SIP_LOAD_PER_OPERATION_RATE (20/s: a write alone costs several times a read,
    /// and 70 new cases a second saturate 2 cores) for SIP_LOAD_PER_OPERATION_SECONDS (0, the default, skips it): what one
    /// request of that kind costs each process, less what the platform uses idle (10 s, once it has settled), so that the
    /// mix's CPU per request can be taken apart. A write's figure includes the consumers its events wake.
    /// </summary>
    private static async Task EachAloneAsync(Workload workload, PlatformCpu cpu, double seconds)
    {
        var rate = Settings.Number("SIP_LOAD_PER_OPERATION_RATE", 20);
        // The warm-up's events, e-mails and statistics are still being worked off for a while after it: idle is after that,
        // over 10 s once the platform has settled.
        var (_, _, idle) = await cpu.WaitForIdleAsync(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        Console.WriteLine($"\n## each operation alone at {rate:F0}/s for {seconds:F0} s: CPU per request, by process, less idle ({idle.Values.Sum() * 1000:F0} ms a second)");
        foreach (var (weight, operation) in Operations(workload))
        {
            var before = cpu.Snapshot();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var run = await PacedRun.RunAsync(rate, TimeSpan.FromSeconds(seconds), () => operation);
            // Until the events it raised are consumed: the consumers' work is part of what a write costs.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {operation.Name,-20} ({weight,3}‰ of the mix) p50 {run.All.Percentile(0.5),6:F1} ms, p99 {run.All.Percentile(0.99),6:F1} ms, errors {run.All.Describe()}"));
            Console.WriteLine($"          {PlatformCpu.PerRequest(before, PlatformCpu.Less(cpu.Snapshot(), idle, clock.Elapsed), run.Sent)}");
        }
    }

    /// <summary>
    /// Per thousand requests: reads of inboxes (both sides), plans, cases, consents and summons, and 80 writes —
    /// new cases with an initiative, acknowledgements and plan edits — in the proportions of a working day.
    /// </summary>
    public static Func<Operation> Mix(Workload w)
    {
        var table = Operations(w);
        var total = table.Sum(t => t.Weight);
        return () =>
        {
            var pick = Random.Shared.Next(total);
            foreach (var (weight, operation) in table)
            {
                if ((pick -= weight) < 0)
                {
                    return operation;
                }
            }
            return table[^1].Operation;
        };
    }

    private static (int Weight, Operation Operation)[] Operations(Workload w) =>
        new (int Weight, Operation Operation)[]
        {
            (180, w.InboxOf("inbox (municipality)", municipal: true)),
            (100, w.InboxOf("inbox (region)", municipal: false)),
            (200, new Operation("plan read", w.ReadPlanAsync, HttpStatusCode.OK)),
            (150, new Operation("case read", w.ReadCaseAsync, HttpStatusCode.OK)),
            (150, new Operation("consent check", w.ReadConsentsAsync, HttpStatusCode.OK)),
            (140, new Operation("summons read", w.ReadSummonsAsync, HttpStatusCode.OK)),
            (30, new Operation("case + initiative", w.OpenCaseAsync, HttpStatusCode.Created)),
            (25, new Operation("acknowledgement", w.AcknowledgeAsync, HttpStatusCode.OK)),
            (25, new Operation("plan edit", w.EditPlanAsync, HttpStatusCode.OK, HttpStatusCode.PreconditionFailed)),
        };

    private static async Task SetUpAsync(Workload workload, double people)
    {
        Console.WriteLine($"setting up: {people:F0} people with consent, each with a case and a plan draft");
        await Parallel.ForAsync(0, (int)people, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            Expect(await workload.RegisterAsync(ct), "register and record consent");
            Expect(await workload.OpenCaseWithPlanAsync(ct), "open a case and write a plan");
        });
    }

    private static void Expect(Answer answer, string what)
    {
        if (!answer.Ok)
        {
            throw new InvalidOperationException($"set-up failed: {what} answered {(int)answer.Status} {answer.Json}");
        }
    }

    /// <summary>Events committed to every service's outbox since a point in time: what the writes raised.</summary>
    public static async Task<long> EventsSinceAsync(string adminConnection, DateTimeOffset from)
    {
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        var schemas = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox_messages'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                schemas.Add(reader.GetString(0));
            }
        }
        var sql = string.Join(" + ", schemas.Select(s => $"(SELECT count(*) FROM \"{s}\".outbox_messages WHERE created_at >= @from)"));
        await using var count = new NpgsqlCommand($"SELECT {sql}", connection);
        count.Parameters.AddWithValue("from", from);
        return Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
