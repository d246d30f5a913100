using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CorpNotifier.TestKit;

/// <summary>
/// Fernet as the Python producers make it: Debian's Python 3 (<c>/usr/bin/python3</c>) with
/// python3-cryptography, which deploy/local/install.sh installs (test.sh runs it). A missing
/// interpreter or package fails with the fix in the message.
/// </summary>
public static class PythonFernet
{
    private const string Interpreter = "/usr/bin/python3";

    /// <summary>A new random Fernet key: 32 bytes in URL-safe base64, as <c>Fernet.generate_key()</c> gives.</summary>
    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    /// <summary>The token Python's <c>Fernet(key).encrypt(plain)</c> makes for <paramref name="plain"/> (UTF-8).</summary>
    public static string Encrypt(string key, string plain) =>
        Run("import sys; from cryptography.fernet import Fernet; sys.stdout.write(Fernet(sys.argv[1].encode()).encrypt(sys.argv[2].encode()).decode())", key, plain);

    /// <summary>What Python's <c>Fernet(key).decrypt(token, ttl)</c> opens <paramref name="token"/> to.</summary>
    public static string Decrypt(string key, string token, int ttlSeconds) =>
        Run("import sys; from cryptography.fernet import Fernet; sys.stdout.write(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode(), ttl=int(sys.argv[3])).decode())", key, token, ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Runs <paramref name="code"/> with <paramref name="args"/> as <c>sys.argv[1:]</c> and returns what it wrote to stdout.</summary>
    public static string Run(string code, params string[] args)
    {
        var info = new ProcessStartInfo(Interpreter, ["-c", code, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.Environment["PYTHONIOENCODING"] = "utf-8";
        info.Environment["PYTHONUTF8"] = "1";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{Interpreter} did not start");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"{Interpreter} is missing ({ex.Message}); install Debian's python3 and python3-cryptography (deploy/local/install.sh does)", ex);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException($"python3 failed ({error.Result.Trim()}); install Debian's python3-cryptography (deploy/local/install.sh does)");
        }
    }
}
