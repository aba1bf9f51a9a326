using System.Globalization;

namespace Sip.Load;

/// <summary>
/// CPU time used by each of the platform's processes (the pid files of ./sip up, the load's own gateway and this
/// client), each with every descendant — PostgreSQL's backends, RabbitMQ's Erlang VM — and the children they reaped,
/// read from /proc. Two snapshots give where a step's CPU went, per request.
/// </summary>
public sealed class PlatformCpu(IReadOnlyDictionary<string, int> roots)
{
    private const double TicksPerSecond = 100; // USER_HZ: 100 on every Linux this runs on.

    public static PlatformCpu Of(string root)
    {
        var roots = new Dictionary<string, int>(StringComparer.Ordinal);
        var pids = Path.Combine(root, ".sip", "pids");
        if (Directory.Exists(pids))
        {
            foreach (var file in Directory.EnumerateFiles(pids, "*.pid"))
            {
                if (int.TryParse(File.ReadAllText(file).Trim(), out var pid))
                {
                    roots[Path.GetFileNameWithoutExtension(file)] = pid;
                }
            }
        }
        if (int.TryParse(Environment.GetEnvironmentVariable("SIP_LOAD_GATEWAY_PID"), out var gateway))
        {
            roots["load gateway"] = gateway;
        }
        roots["load client"] = Environment.ProcessId;
        return new PlatformCpu(roots);
    }

    /// <summary>Seconds of CPU per root process and its descendants, now.</summary>
    public Dictionary<string, double> Snapshot()
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                // pid (comm) state ppid … utime(14) stime(15) cutime(16) cstime(17): comm may hold spaces, so split after ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // The process ended between listing and reading.
            }
        }
        return roots.ToDictionary(r => r.Key, r => ticks.Where(t => Descends(t.Key, r.Value, parents)).Sum(t => t.Value) / TicksPerSecond);
    }

    private static bool Descends(int pid, int root, Dictionary<int, int> parents)
    {
        for (var depth = 0; depth < 64 && pid > 1; depth++)
        {
            if (pid == root)
            {
                return true;
            }
            if (!parents.TryGetValue(pid, out pid))
            {
                return false;
            }
        }
        return false;
    }

    /// <summary>
    /// Waits until the platform uses less than <paramref name="busyBelow"/> of a core over a <paramref name="window"/>
    /// (5 s unless given): work left from before — e-mails, statistics, a run's clean-up — is done; or until
    /// <paramref name="atMost"/> has passed. How long it took, and what each process used a second in the last window.
    /// </summary>
    public async Task<(TimeSpan Waited, bool Idle, Dictionary<string, double> PerSecond)> WaitForIdleAsync(TimeSpan atMost,
        TimeSpan? window = null, double busyBelow = 0.05)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var before = Snapshot();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(window ?? TimeSpan.FromSeconds(5));
            var perSecond = PerSecond(before, Snapshot(), watch.Elapsed);
            var idle = perSecond.Values.Sum() < busyBelow;
            if (idle || clock.Elapsed >= atMost)
            {
                return (clock.Elapsed, idle, perSecond);
            }
        }
    }

    /// <summary>Seconds of CPU per second of wall time, per process, between two snapshots.</summary>
    public static Dictionary<string, double> PerSecond(Dictionary<string, double> before, Dictionary<string, double> after, TimeSpan elapsed) =>
        after.ToDictionary(kv => kv.Key, kv => Math.Max(0, kv.Value - before.GetValueOrDefault(kv.Key)) / elapsed.TotalSeconds);

    /// <summary>A snapshot less what each process uses idle over <paramref name="elapsed"/>.</summary>
    public static Dictionary<string, double> Less(Dictionary<string, double> snapshot, Dictionary<string, double> idlePerSecond, TimeSpan elapsed) =>
        snapshot.ToDictionary(kv => kv.Key, kv => kv.Value - idlePerSecond.GetValueOrDefault(kv.Key) * elapsed.TotalSeconds);

    /// <summary>One line: the platform's CPU per request sent, then each process's share, the busiest first.</summary>
    public static string PerRequest(Dictionary<string, double> before, Dictionary<string, double> after, long requests)
    {
        var used = after.Select(kv => (Name: kv.Key, Ms: (kv.Value - before.GetValueOrDefault(kv.Key)) * 1000 / Math.Max(1, requests)))
            .Where(p => p.Ms >= 0.05).OrderByDescending(p => p.Ms).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU per request {used.Sum(p => p.Ms):F2} ms: {string.Join(", ", used.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Ms:F2}")))}");
    }
}
