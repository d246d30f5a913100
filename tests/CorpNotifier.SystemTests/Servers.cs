using System.Diagnostics;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Stops and starts the real PostgreSQL and RabbitMQ that test.sh started (Debian's packages, no
/// systemd), for tests of outages. Each stop is paired with a start in a <c>finally</c>, so a failed
/// test never leaves the servers down for the next one.
/// </summary>
public static class Servers
{
    public static string PostgresVersion { get; } =
        Directory.GetDirectories("/usr/lib/postgresql").Select(Path.GetFileName).OrderByDescending(v => int.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)).First()!;

    /// <summary>The Debian cluster the tests' PostgreSQL runs as: <c>main</c>, or <c>CORP_TEST_POSTGRES_CLUSTER</c> (a private cluster, so an outage test stops no one else's server).</summary>
    public static string PostgresCluster { get; } = Environment.GetEnvironmentVariable("CORP_TEST_POSTGRES_CLUSTER") is { Length: > 0 } cluster ? cluster : "main";

    public static Task StopPostgresAsync() => RunAsync("pg_ctlcluster", PostgresVersion, PostgresCluster, "stop", "-m", "fast");

    public static async Task StartPostgresAsync()
    {
        if (await TryRunAsync("pg_ctlcluster", PostgresVersion, PostgresCluster, "status"))
        {
            return;
        }

        await RunAsync("pg_ctlcluster", PostgresVersion, PostgresCluster, "start");
        Npgsql.NpgsqlConnection.ClearAllPools(); // this process's own connections died with the server
    }

    /// <summary>Stops the broker application (the Erlang node stays up, as in a broker restart by ops).</summary>
    public static Task StopRabbitMqAsync() => RunAsync("rabbitmqctl", "stop_app");

    public static async Task StartRabbitMqAsync()
    {
        await RunAsync("rabbitmqctl", "start_app");
        await RunAsync("rabbitmqctl", "await_startup");
    }

    public static async Task RunAsync(string command, params string[] args)
    {
        var (exitCode, output) = await ExecuteAsync(command, args);
        exitCode.ShouldBe(0, $"{command} {string.Join(' ', args)}: {output}");
    }

    private static async Task<bool> TryRunAsync(string command, params string[] args) => (await ExecuteAsync(command, args)).ExitCode == 0;

    private static async Task<(int ExitCode, string Output)> ExecuteAsync(string command, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
