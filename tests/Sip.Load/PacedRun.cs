using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Sip.Load;

/// <summary>
/// An open-loop run: requests start at a fixed rate whatever the platform answers, as a region's staff do, and each
/// latency counts from when the request was due (not from when the client got round to sending it), so a stall
/// shows in the figures instead of silently lowering the rate. Requests that would exceed the in-flight cap are not
/// sent and count as errors ("not sent").
/// </summary>
public static class PacedRun
{
    public static async Task<RunResult> RunAsync(double rate, TimeSpan duration, Func<Operation> next, int maxInFlight = 512, CancellationToken ct = default)
    {
        var result = new RunResult(rate, duration);
        var total = (long)(rate * duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        var inFlight = 0;
        long issued = 0;
        while (issued < total && !ct.IsCancellationRequested)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; issued < due; issued++)
            {
                var dueAt = TimeSpan.FromSeconds(issued / rate);
                var operation = next();
                if (Volatile.Read(ref inFlight) >= maxInFlight)
                {
                    result.Record(operation.Name, 0, "not sent", dueAt);
                    continue;
                }
                Interlocked.Increment(ref inFlight);
                _ = ExecuteAsync(operation, dueAt);
            }
            // Sleeps until the next request is due, not a fixed millisecond: at 0.1x a 1 ms poll cost the client as much
            // CPU as its requests did, on the cores the platform runs on.
            var wait = TimeSpan.FromSeconds(issued / rate) - clock.Elapsed;
            await Task.Delay(wait > TimeSpan.FromMilliseconds(1) ? wait : TimeSpan.FromMilliseconds(1), CancellationToken.None);
        }
        while (Volatile.Read(ref inFlight) > 0)
        {
            await Task.Delay(10, CancellationToken.None);
        }
        result.Elapsed = clock.Elapsed;
        return result;

        async Task ExecuteAsync(Operation operation, TimeSpan dueAt)
        {
            string? error;
            try
            {
                var answer = await operation.Run(ct);
                error = operation.Accepted.Contains(answer.Status) ? null : ((int)answer.Status).ToString(CultureInfo.InvariantCulture);
                if (error is not null && answer.Json.ValueKind == System.Text.Json.JsonValueKind.Object && answer.Json.TryGetProperty("detail", out var detail))
                {
                    result.Sample($"{operation.Name} ({error})", detail.ToString());
                }
            }
            catch (Exception e)
            {
                error = e is TaskCanceledException ? "timeout" : e.GetType().Name;
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
            result.Record(operation.Name, (clock.Elapsed - dueAt).TotalMilliseconds, error, dueAt);
        }
    }
}

public sealed class RunResult(double rate, TimeSpan duration)
{
    private readonly ConcurrentDictionary<string, OperationFigures> figures = new();

    public double Rate { get; } = rate;
    public TimeSpan Duration { get; } = duration;
    public TimeSpan Elapsed { get; set; }

    private readonly ConcurrentDictionary<int, (int Ok, int Failed)> timeline = new();

    public void Record(string operation, double milliseconds, string? error, TimeSpan dueAt)
    {
        figures.GetOrAdd(operation, _ => new OperationFigures()).Record(milliseconds, error);
        timeline.AddOrUpdate((int)dueAt.TotalSeconds / 10, _ => error is null ? (1, 0) : (0, 1),
            (_, t) => error is null ? (t.Ok + 1, t.Failed) : (t.Ok, t.Failed + 1));
    }

    /// <summary>Right and wrong answers per 10 s of the run (by when each request was due): how long each disruption hurt.</summary>
    public void PrintTimeline(TextWriter output)
    {
        output.WriteLine("  right/wrong answers per 10 s:");
        output.WriteLine("  " + string.Join(" ", timeline.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key * 10}s:{kv.Value.Ok}/{kv.Value.Failed}")));
    }

    private readonly ConcurrentDictionary<string, string> samples = new();

    /// <summary>The first problem detail an operation got, so a report says why it failed, not only how often.</summary>
    public void Sample(string operation, string problem) => samples.TryAdd(operation, problem);

    public IReadOnlyDictionary<string, OperationFigures> ByOperation => figures;
    public OperationFigures All => OperationFigures.Merge(figures.Values);
    public long Requests => figures.Values.Sum(f => f.Count);
    /// <summary>Requests the client sent (the rest could not be: too many in flight).</summary>
    public long Sent => Requests - All.ErrorKinds.GetValueOrDefault("not sent");

    /// <summary>Held: p99 under the bound, at most one error in a thousand, and the client kept the pace.</summary>
    public bool Holds(double p99BoundMs) => All.Percentile(0.99) < p99BoundMs && All.Errors <= Requests / 1000 && !All.ErrorKinds.ContainsKey("not sent");

    public void Print(TextWriter output)
    {
        output.WriteLine($"  {"operation",-22} {"requests",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}");
        foreach (var (name, f) in figures.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine(f.Line(name));
        }
        output.WriteLine(All.Line("all"));
        foreach (var (name, problem) in samples.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  first {name}: {problem}");
        }
        var seconds = Math.Max(1, Elapsed.TotalSeconds);
        output.WriteLine($"  offered {Rate:F0}/s for {Duration.TotalSeconds:F0} s; answered {Requests / seconds:F0}/s, of which right {(Requests - All.Errors) / seconds:F0}/s; errors: {All.Describe()}");
    }
}

public sealed class OperationFigures
{
    private readonly List<double> latencies = [];
    private readonly Dictionary<string, long> errorKinds = [];

    public long Count { get { lock (latencies) { return latencies.Count + errorKinds.Values.Sum(); } } }
    public long Errors { get { lock (latencies) { return errorKinds.Values.Sum(); } } }
    public IReadOnlyDictionary<string, long> ErrorKinds { get { lock (latencies) { return new Dictionary<string, long>(errorKinds); } } }

    public void Record(double milliseconds, string? error)
    {
        lock (latencies)
        {
            if (error is null)
            {
                latencies.Add(milliseconds);
            }
            else
            {
                errorKinds[error] = errorKinds.GetValueOrDefault(error) + 1;
            }
        }
    }

    /// <summary>Latency of the answers that were right; errors are counted, not timed.</summary>
    public double Percentile(double p)
    {
        lock (latencies)
        {
            if (latencies.Count == 0)
            {
                return double.NaN;
            }
            var sorted = latencies.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    public string Describe()
    {
        var kinds = ErrorKinds;
        return kinds.Count == 0 ? "none" : string.Join(", ", kinds.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} ×{kv.Value}"));
    }

    public string Line(string name) => string.Create(CultureInfo.InvariantCulture,
        $"  {name,-22} {Count,9} {Percentile(0.5),8:F1} {Percentile(0.99),8:F1} {Percentile(1),8:F1} {Errors,7}");

    public static OperationFigures Merge(IEnumerable<OperationFigures> parts)
    {
        var all = new OperationFigures();
        foreach (var part in parts)
        {
            lock (part.latencies)
            {
                all.latencies.AddRange(part.latencies);
                foreach (var (kind, n) in part.errorKinds)
                {
                    all.errorKinds[kind] = all.errorKinds.GetValueOrDefault(kind) + n;
                }
            }
        }
        return all;
    }
}
