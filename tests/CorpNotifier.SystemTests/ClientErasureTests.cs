using System.Net;
using System.Net.Http.Json;
using CorpNotifier.Contracts;
using Npgsql;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Erasing a client on PostgreSQL leaves no trace of its address or name in any text, JSON or
/// array column of any table (searched through information_schema), nor in the service's log
/// from the erasure's request on.
/// </summary>
public sealed class ClientErasureTests(ITestOutputHelper output) : SystemTest
{
    private const string Address = "Erase.Me@Acme-Erased.example";
    private const string Name = "Acme LLC";

    private readonly Figures _output = new(output, nameof(ClientErasureTests));

    [Fact]
    public async Task An_erased_client_leaves_no_trace_of_its_address_or_name_in_any_column_or_the_log()
    {
        var service = await StartServiceAsync(new Dictionary<string, string> { ["Logging:Console:FormatterName"] = "json" });

        // Letters of several kinds to the client's address: an activation, a low balance, a limit
        // reached (sent) and its reminder (pending), and a re-send an operator asked for (audited).
        await PostAsync(service, Events.Profile("client-9", [Address.ToLowerInvariant(), "second@acme-erased.example"]));
        await PostAsync(service, Events.Contract(
            "client-9",
            null,
            new ContractState { IsActive = true, PaymentType = PaymentTypes.Postpaid, Services = ["taxi"], LowBalanceThreshold = 100, DeactivateThreshold = 25, LowBalanceNotificationsEnabled = true }));
        await WaitUntilSentAsync(1, "the activation letter", TimeSpan.FromSeconds(60));
        await PostAsync(service, Events.Balance("client-9", 150, 50));
        await WaitUntilSentAsync(2, "the low-balance letter", TimeSpan.FromSeconds(60));
        await PostAsync(service, Events.Balance("client-9", 50, 5));
        var letters = await WaitUntilSentAsync(3, "the limit-is-over letter", TimeSpan.FromSeconds(60));
        using (var resend = await service.Client.PostAsync($"/api/v1/notices/{letters.First(n => n.Kind == "LowBalanceNotice").Id}/resend", null))
        {
            resend.StatusCode.ShouldBe(HttpStatusCode.Created, await resend.Content.ReadAsStringAsync());
        }

        await WaitUntilSentAsync(4, "the re-sent letter", TimeSpan.FromSeconds(60));
        (await HitsAsync()).ShouldNotBeEmpty("the address is stored before the erasure (the search works)");

        var logged = service.Output.Count;
        using (var refused = await service.Client.PostAsJsonAsync("/api/v1/clients/client-9/erasure", new { why = "the client asked" }))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, "the reminder is pending");
        }

        using (var erased = await service.Client.PostAsJsonAsync("/api/v1/clients/client-9/erasure", new { why = $"the client asked, ticket 12 ({Address})", cancelPending = true }))
        {
            erased.StatusCode.ShouldBe(HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
            _output.WriteLine(await erased.Content.ReadAsStringAsync());
        }

        var hits = await HitsAsync();
        hits.ShouldBeEmpty($"the address or name is still stored in: {string.Join(", ", hits)}");

        // The service's output is read as it comes: the erasure's own line may arrive after its answer.
        var log = await Eventually.MatchAsync(
            () => Task.FromResult(string.Join('\n', service.Output.Skip(logged))),
            text => text.Contains("erased by", StringComparison.Ordinal),
            "the erasure's log line",
            diagnostics: Logs);
        log.ShouldNotContain(Address, Case.Insensitive);
        log.ShouldNotContain("second@acme-erased.example", Case.Insensitive);
        log.ShouldContain("erased by");
    }

    /// <summary>Every table.column of a text, JSON or array type where the address or the name occurs, case-insensitively.</summary>
    private async Task<List<string>> HitsAsync()
    {
        await using var connection = new NpgsqlConnection(Env.PostgresConnectionString);
        await connection.OpenAsync();
        var columns = new List<(string Table, string Column)>();
        await using (var list = new NpgsqlCommand("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND (data_type IN ('text', 'character varying', 'jsonb', 'json') OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        columns.Count.ShouldBeGreaterThan(20, "the schema's text columns are found");
        var hits = new List<string>();
        foreach (var (table, column) in columns)
        {
            foreach (var needle in new[] { Address, "second@acme-erased.example", Name })
            {
                await using var search = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text ILIKE @needle", connection);
                search.Parameters.AddWithValue("needle", $"%{needle}%");
                if ((long)(await search.ExecuteScalarAsync())! > 0)
                {
                    hits.Add($"{table}.{column} ({needle})");
                }
            }
        }

        return hits;
    }
}
