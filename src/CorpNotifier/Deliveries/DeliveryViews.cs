using CorpNotifier.Hosting;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Deliveries;

/// <summary>One recipient's letter as the API and the console show it: the latest outcome reported, when, and the provider's words.</summary>
public sealed record RecipientDeliveryView(string Recipient, string? MessageId, DateTimeOffset AcceptedAt, string? Outcome, DateTimeOffset? OutcomeAt, string? Words);

/// <summary>What the letter views read of the deliveries: each recipient's outcome, and a letter's worst.</summary>
public static class DeliveryViews
{
    /// <summary>The outcomes from the least to the most worrying: a letter shows its recipients' worst.</summary>
    private static readonly string[] Severity = ["delivered", "deferred", "soft_bounce", "hard_bounce", "complained"];

    /// <summary>The wire names a <c>delivery</c> filter takes.</summary>
    public static IReadOnlyList<string> Outcomes => Severity;

    /// <summary>The worst of the outcomes (<c>complained</c> over <c>hard_bounce</c> over … <c>delivered</c>); null when none is reported.</summary>
    public static string? Worst(IEnumerable<string?> outcomes) =>
        outcomes.Where(o => o is not null).MaxBy(o => Array.IndexOf(Severity, o));

    /// <summary>Each letter's recipients with their outcomes, by letter id.</summary>
    public static async Task<Dictionary<long, List<RecipientDeliveryView>>> ForAsync(NoticesDbContext db, IReadOnlyCollection<long> noticeIds, CancellationToken cancellationToken)
    {
        if (noticeIds.Count == 0)
        {
            return [];
        }

        var rows = await db.LetterDeliveries.AsNoTracking()
            .Where(d => noticeIds.Contains(d.NoticeId))
            .OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);
        return rows.GroupBy(d => d.NoticeId).ToDictionary(
            g => g.Key,
            g => g.Select(d => new RecipientDeliveryView(d.Recipient, d.ProviderMessageId, d.AcceptedAt, d.Outcome, d.OutcomeAt, d.OutcomeText)).ToList());
    }

    /// <summary>The letters one of whose recipients' latest outcome is <paramref name="outcome"/>.</summary>
    public static IQueryable<Notice> WithOutcome(this IQueryable<Notice> notices, NoticesDbContext db, string outcome)
    {
        var deliveries = db.LetterDeliveries.AsNoTracking();
        return notices.Where(n => deliveries.Any(d => d.NoticeId == n.Id && d.Outcome == outcome));
    }

    /// <summary>A <c>delivery</c> filter's value, or an error under <c>delivery</c>.</summary>
    public static string? Parse(string? text, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var wire = text.Trim().ToLowerInvariant();
        if (Severity.Contains(wire))
        {
            return wire;
        }

        errors["delivery"] = [$"must be one of {string.Join(", ", Severity)}"];
        return null;
    }

    internal static string Name(DeliveryOutcome outcome) => WireName.Of(outcome);
}
