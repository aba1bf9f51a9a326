using System.Diagnostics;

/// <summary>
/// CPU spent during a phase: by this process (the publisher or dispatcher under test), and by the whole machine (PostgreSQL
/// and RabbitMQ included), so a rate can be read as CPU per message and it shows which side ran out of cores.
/// </summary>
internal sealed class CpuMeter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double _machine = MachineBusySeconds();

    /// <summary>"this process X µs/msg, machine Y µs/msg (Z of N cores busy)" for <paramref name="messages"/> handled in the phase.</summary>
    public string PerMessage(double messages)
    {
        var wall = _wall.Elapsed.TotalSeconds;
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds;
        var machine = MachineBusySeconds() - _machine;
        return FormattableString.Invariant(
            $"CPU per message: this process {process * 1e6 / messages:F0} µs, machine {machine * 1e6 / messages:F0} µs ({machine / wall:F2} of {Environment.ProcessorCount} cores busy)");
    }

    /// <summary>Busy CPU seconds of all cores since boot (/proc/stat: everything but idle and iowait); 0 where there is no /proc.</summary>
    private static double MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
        {
            return 0;
        }
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        // user nice system idle iowait irq softirq steal ... ; guest time is already counted in user.
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.Length > 7 ? fields[7] : 0);
        return busy / 100.0; // USER_HZ is 100 on Linux
    }
}
