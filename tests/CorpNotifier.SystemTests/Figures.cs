using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The figures the fault, outage, bad-input and log suites print: to the test's output, and, when
/// <c>CORP_TEST_FIGURES</c> names a file (test.sh sets it), appended there too, so a run of
/// <c>./test.sh</c> shows them at its end whatever the test logger's verbosity. Two tests run at once
/// (AssemblyInfo.cs): a test's lines get its name again whenever another test wrote in between.
/// </summary>
public sealed class Figures(ITestOutputHelper inner, string test) : ITestOutputHelper
{
    private static readonly Lock FileLock = new();
    private static Figures? _lastWriter;

    public void WriteLine(string message)
    {
        inner.WriteLine(message);
        if (Environment.GetEnvironmentVariable("CORP_TEST_FIGURES") is not { Length: > 0 } path)
        {
            return;
        }

        lock (FileLock)
        {
            var lines = ReferenceEquals(_lastWriter, this) ? message : $"[{test}]\n{message}";
            _lastWriter = this;
            File.AppendAllText(path, lines + "\n");
        }
    }

    public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
}
