using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CorpNotifier.Admin;

/// <summary>One row of the would-send report: what a notice did on one day (UTC).</summary>
public sealed record ShadowReportRow(DateOnly Day, string Kind, int Shadowed, int Sent, int Rejected, int Failed);

/// <summary>
/// The would-send report, for switching a notice from <c>Shadow</c> to <c>Live</c>: per kind and day,
/// how many notices shadow mode kept from the mailer (and how many were really sent, rejected or
/// failed), and the shadowed notices themselves as CSV to compare with the old sender's log.
/// </summary>
public static class ShadowReportApi
{
    public const int MaxDays = NoticeQueries.MaxReportDays;

    /// <summary>A notice's arguments in a CSV cell: compact JSON, every character as itself (<c>ДГ-2026/7</c>, not <c>\u0414\u0413-2026/7</c>).</summary>
    private static readonly JsonSerializerOptions CsvJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapShadowReportApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports/would-send").WithTags("Reports").RequireAuthorization(Auth.Policies.Read);
        group.MapGet("/", GetSummary)
            .WithName("GetWouldSendSummary")
            .WithSummary("Per kind and day: notices shadowed (would have been sent), sent, rejected, failed");
        group.MapGet("/letters.csv", GetShadowedNoticesCsv)
            .WithName("GetWouldSendLetters")
            .WithSummary("The shadowed notices of one day (optionally one kind) as CSV");
        return app;
    }

    public static async Task<Results<Ok<IReadOnlyList<ShadowReportRow>>, ValidationProblem>> GetSummary(
        DateOnly from,
        DateOnly to,
        string? kind,
        NoticeQueries queries,
        CancellationToken cancellationToken)
    {
        var rows = await queries.WouldSendAsync(from, to, kind, cancellationToken);
        return rows.IsValid ? TypedResults.Ok(rows.Value!) : AdminProblems.Invalid(rows.Errors);
    }

    public static async Task<FileContentHttpResult> GetShadowedNoticesCsv(
        DateOnly day,
        string? kind,
        NoticeQueries queries,
        CancellationToken cancellationToken)
    {
        var shadowed = await queries.ShadowedAsync(day, kind, cancellationToken);
        var csv = new StringBuilder();
        csv.Append("id,kind,client_id,contract_id,event_id,created_at,would_send_at,slug,recipients,args\r\n");
        foreach (var n in shadowed)
        {
            csv.Append(string.Join(',', new[]
            {
                n.Id.ToString(CultureInfo.InvariantCulture),
                n.Kind,
                n.ClientId,
                n.ContractId ?? "",
                n.EventId ?? "",
                n.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                n.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
                n.Slug ?? "",
                string.Join(';', n.SentTo),
                JsonNode.Parse(n.Args.GetRawText())?.ToJsonString(CsvJson) ?? "{}",
            }.Select(Field)));
            csv.Append("\r\n");
        }

        return TypedResults.File(
            Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(),
            "text/csv; charset=utf-8",
            $"would-send-{day:yyyy-MM-dd}{(kind is null ? "" : "-" + kind)}.csv");
    }

    /// <summary>RFC 4180: quote a field that holds a comma, a quote or a line break, doubling quotes.</summary>
    private static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
