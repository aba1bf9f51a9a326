using System.Diagnostics;

/// <summary>
/// CPU spent during a phase: by this process (the publisher or dispatcher under test), by PostgreSQL and RabbitMQ (every
/// process named <c>postgres</c> or <c>beam.smp</c> on the machine), and by the whole machine, so a rate can be read as CPU per
/// message and it shows which side ran out of cores.
/// </summary>
internal sealed class CpuMeter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double _machine = MachineBusySeconds();
    private readonly double _postgres = ProcessesSeconds("postgres");
    private readonly double _rabbit = ProcessesSeconds("beam.smp");

    /// <summary>"this process X µs, PostgreSQL Y µs, RabbitMQ Z µs, machine W µs (V of N cores busy)" per message handled in the phase.</summary>
    public string PerMessage(double messages)
    {
        var wall = _wall.Elapsed.TotalSeconds;
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process).TotalSeconds;
        var machine = MachineBusySeconds() - _machine;
        var postgres = ProcessesSeconds("postgres") - _postgres;
        var rabbit = ProcessesSeconds("beam.smp") - _rabbit;
        return FormattableString.Invariant(
            $"CPU per message: this process {process * 1e6 / messages:F0} µs, PostgreSQL {postgres * 1e6 / messages:F0} µs, RabbitMQ {rabbit * 1e6 / messages:F0} µs, machine {machine * 1e6 / messages:F0} µs ({machine / wall:F2} of {Environment.ProcessorCount} cores busy)");
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

    /// <summary>
    /// CPU seconds (user and system) of the live processes named <paramref name="name"/>. A backend that exits during the
    /// phase takes its share with it; PostgreSQL's pooled backends and RabbitMQ's one process live through a phase.
    /// </summary>
    private static double ProcessesSeconds(string name)
    {
        var ticks = 0L;
        foreach (var dir in Directory.Exists("/proc") ? Directory.EnumerateDirectories("/proc") : [])
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < 0 || stat[(open + 1)..close] != name)
                {
                    continue;
                }
                // After the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime.
                var fields = stat[(close + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return ticks / 100.0;
    }
}
