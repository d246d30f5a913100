using System.Globalization;
using System.Text;
using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
    public const int MaxDays = 92;

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
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        if (to < from || to.DayNumber - from.DayNumber >= MaxDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = [$"must be on or after 'from' and at most {MaxDays} days later"] });
        }

        var (start, end) = (Start(from), Start(to.AddDays(1)));
        var done = await db.Notices.AsNoTracking()
            .Where(n => n.UpdatedAt >= start && n.UpdatedAt < end)
            .Where(n => n.Status == NoticeStatus.Shadowed || n.Status == NoticeStatus.Sent || n.Status == NoticeStatus.Rejected || n.Status == NoticeStatus.Failed)
            .Where(n => kind == null || n.Kind == kind)
            .Select(n => new { n.Kind, n.Status, n.UpdatedAt })
            .ToListAsync(cancellationToken);

        IReadOnlyList<ShadowReportRow> rows = done
            .GroupBy(n => (Day: DateOnly.FromDateTime(n.UpdatedAt.UtcDateTime), n.Kind))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .Select(g => new ShadowReportRow(
                g.Key.Day,
                g.Key.Kind,
                g.Count(n => n.Status == NoticeStatus.Shadowed),
                g.Count(n => n.Status == NoticeStatus.Sent),
                g.Count(n => n.Status == NoticeStatus.Rejected),
                g.Count(n => n.Status == NoticeStatus.Failed)))
            .ToList();
        return TypedResults.Ok(rows);
    }

    public static async Task<FileContentHttpResult> GetShadowedNoticesCsv(
        DateOnly day,
        string? kind,
        NoticesDbContext db,
        CancellationToken cancellationToken)
    {
        var (start, end) = (Start(day), Start(day.AddDays(1)));
        var shadowed = await db.Notices.AsNoTracking()
            .Where(n => n.Status == NoticeStatus.Shadowed && n.UpdatedAt >= start && n.UpdatedAt < end)
            .Where(n => kind == null || n.Kind == kind)
            .OrderBy(n => n.Id)
            .ToListAsync(cancellationToken);

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
                n.SentSlug ?? "",
                string.Join(';', n.SentTo),
                n.Args.ToJsonString(AppJson.Options),
            }.Select(Field)));
            csv.Append("\r\n");
        }

        return TypedResults.File(
            Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(),
            "text/csv; charset=utf-8",
            $"would-send-{day:yyyy-MM-dd}{(kind is null ? "" : "-" + kind)}.csv");
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>RFC 4180: quote a field that holds a comma, a quote or a line break, doubling quotes.</summary>
    private static string Field(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
