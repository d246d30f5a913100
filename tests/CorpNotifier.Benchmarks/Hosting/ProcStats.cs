using System.Globalization;

namespace CorpNotifier.Benchmarks.Hosting;

/// <summary>CPU time and memory of processes, read from <c>/proc</c> (Linux).</summary>
public static class ProcStats
{
    /// <summary>Clock ticks per second of <c>utime</c>/<c>stime</c> (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>utime + stime of one process in milliseconds; 0 when it is gone.</summary>
    public static double CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name (which may hold spaces) start at field 3 (state).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks * 1000 / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>A <c>Vm…</c> line of <c>/proc/{pid}/status</c> (VmRSS, VmHWM) in MiB; 0 when it is gone.</summary>
    public static double MemoryMiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }

    /// <summary>The processes whose command name (<c>/proc/{pid}/comm</c>) is <paramref name="comm"/>.</summary>
    public static IReadOnlyList<int> ProcessesNamed(string comm)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == comm)
                {
                    pids.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    /// <summary>Total CPU time of the machine (all cores, every state but idle and iowait) in milliseconds.</summary>
    public static double MachineBusyMs()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var busy = cpu.Sum() - cpu[3] - cpu[4];
        return busy * 1000 / TicksPerSecond;
    }
}

/// <summary>
/// Watches the service's processes, PostgreSQL's and RabbitMQ's over a measured stretch: CPU time
/// spent in it, per process (a process that ends meanwhile counts up to its last sample), and the
/// peak of resident memory.
/// </summary>
public sealed class ResourceWatch : IAsyncDisposable
{
    private static readonly string[] Parties = ["service", "postgres", "rabbitmq", "benchmark"];
    private readonly IReadOnlyList<int> _service;
    private readonly Dictionary<(string Party, int Pid), double> _start = [];
    private readonly Dictionary<(string Party, int Pid), double> _last = [];
    private readonly double _machineStart = ProcStats.MachineBusyMs();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(500);
    private readonly Task _sampling;
    private double _peakPostgresRss;
    private double _peakServiceRss;

    public ResourceWatch(IReadOnlyList<int> servicePids)
    {
        _service = servicePids;
        foreach (var (key, cpu) in Read())
        {
            _start[key] = cpu;
            _last[key] = cpu;
        }

        _sampling = SampleAsync();
    }

    /// <summary>CPU milliseconds by party since the start: service, postgres, rabbitmq, benchmark, and machine (everything, all cores).</summary>
    public IReadOnlyDictionary<string, double> CpuSinceStart()
    {
        Sample();
        lock (_gate)
        {
            var spent = Parties.ToDictionary(p => p, _ => 0.0);
            foreach (var (key, cpu) in _last)
            {
                spent[key.Party] += cpu - _start.GetValueOrDefault(key);
            }

            spent["machine"] = ProcStats.MachineBusyMs() - _machineStart;
            return spent;
        }
    }

    /// <summary>Highest sum of VmRSS over the service's processes seen while watching.</summary>
    public double PeakServiceRssMiB => Math.Max(_peakServiceRss, Sum(_service, "VmRSS"));

    /// <summary>The service's own high-water mark (VmHWM, since its start), the highest of its instances.</summary>
    public double ServiceHighWaterMiB => _service.Select(p => ProcStats.MemoryMiB(p, "VmHWM")).DefaultIfEmpty().Max();

    /// <summary>Highest sum of VmRSS over PostgreSQL's processes (shared buffers counted in each process that touched them).</summary>
    public double PeakPostgresRssMiB => _peakPostgresRss;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static double Sum(IEnumerable<int> pids, string field) => pids.Sum(p => ProcStats.MemoryMiB(p, field));

    private IEnumerable<((string Party, int Pid) Key, double Cpu)> Read()
    {
        foreach (var pid in _service)
        {
            yield return (("service", pid), ProcStats.CpuMs(pid));
        }

        foreach (var pid in ProcStats.ProcessesNamed("postgres"))
        {
            yield return (("postgres", pid), ProcStats.CpuMs(pid));
        }

        foreach (var pid in ProcStats.ProcessesNamed("beam.smp"))
        {
            yield return (("rabbitmq", pid), ProcStats.CpuMs(pid));
        }

        yield return (("benchmark", Environment.ProcessId), ProcStats.CpuMs(Environment.ProcessId));
    }

    private void Sample()
    {
        var readings = Read().Where(r => r.Cpu > 0).ToList();
        lock (_gate)
        {
            foreach (var (key, cpu) in readings)
            {
                _last[key] = Math.Max(cpu, _last.GetValueOrDefault(key));
            }
        }
    }

    /// <summary>Samples now and then twice a second until stopped.</summary>
    private async Task SampleAsync()
    {
        using var period = new PeriodicTimer(SamplePeriod);
        do
        {
            Sample();
            _peakServiceRss = Math.Max(_peakServiceRss, Sum(_service, "VmRSS"));
            _peakPostgresRss = Math.Max(_peakPostgresRss, Sum(ProcStats.ProcessesNamed("postgres"), "VmRSS"));
        }
        while (await period.WaitForNextTickAsync(_stop.Token));
    }
}
