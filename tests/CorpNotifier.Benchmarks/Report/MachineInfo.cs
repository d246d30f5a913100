using System.Diagnostics;
using System.Runtime.InteropServices;

namespace CorpNotifier.Benchmarks.Report;

/// <summary>Where and when the figures were measured: the machine (from <c>/proc</c>), the OS, the commit.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Memory, string Os, string Kernel, string Runtime, string Commit, DateTimeOffset At)
{
    public static MachineInfo Read(string repositoryRoot)
    {
        var cpu = Lines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = Lines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = long.TryParse(memKb, out var kb) ? $"{kb / 1024.0 / 1024.0:0.0} GiB" : "unknown";
        var os = Lines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = Lines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? "unknown";
        var commit = Git(repositoryRoot, "rev-parse", "--short=12", "HEAD");
        var dirty = Git(repositoryRoot, "status", "--porcelain", "--untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "";
        return new MachineInfo(cpu, Environment.ProcessorCount, memory, os, kernel, RuntimeInformation.FrameworkDescription, commit + dirty, DateTimeOffset.UtcNow);
    }

    private static IEnumerable<string> Lines(string path) => File.Exists(path) ? File.ReadLines(path) : [];

    private static string Git(string root, params string[] args)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", root, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }
}
