namespace CorpNotifier.Dispatch;

/// <summary>The letter whose recipients a <see cref="IRecipientFilter"/> is asked about.</summary>
public sealed record RecipientCheck(long NoticeId, string Kind, string? ClientId, DateTimeOffset Now);

/// <summary>One letter of a batch and the recipients a <see cref="IRecipientFilter"/> is asked about.</summary>
public sealed record RecipientQuestion(RecipientCheck Letter, IReadOnlyList<string> Recipients);

/// <summary>A recipient a filter keeps from a letter, with why (a reason code such as <c>suppressed</c>, and words for the timeline).</summary>
public sealed record BlockedRecipient(string Recipient, string ReasonCode, string Reason);

/// <summary>
/// One reason a recipient may not get a letter at send time (a suppressed address, an unsubscribe
/// from the letter's category). Asked once per attempt, after the send-time checks, in the send
/// path's unit of work; a letter skips the recipients any filter blocks, one by one.
/// </summary>
public interface IRecipientFilter
{
    Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(RecipientCheck letter, IReadOnlyList<string> recipients, CancellationToken cancellationToken);

    /// <summary>The same for a batch of letters, by notice id (letters with none blocked may be absent); a filter that can, answers in one query.</summary>
    async Task<IReadOnlyDictionary<long, IReadOnlyList<BlockedRecipient>>> BlockedManyAsync(IReadOnlyList<RecipientQuestion> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var blocked = new Dictionary<long, IReadOnlyList<BlockedRecipient>>();
        foreach (var question in letters)
        {
            blocked[question.Letter.NoticeId] = await BlockedAsync(question.Letter, question.Recipients, cancellationToken);
        }

        return blocked;
    }
}

/// <summary>Every registered <see cref="IRecipientFilter"/>, asked in turn: a recipient is blocked by the first filter that blocks it.</summary>
public sealed class RecipientFilters(IEnumerable<IRecipientFilter> filters)
{
    private readonly IReadOnlyList<IRecipientFilter> _filters = [.. filters];

    public async Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(RecipientCheck letter, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        var blocked = await BlockedManyAsync([new RecipientQuestion(letter, recipients)], cancellationToken);
        return blocked[letter.NoticeId];
    }

    /// <summary>For each letter of a batch (by notice id, every one present), the recipients blocked; one question per filter for the whole batch.</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<BlockedRecipient>>> BlockedManyAsync(IReadOnlyList<RecipientQuestion> letters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var blocked = letters.ToDictionary(l => l.Letter.NoticeId, _ => new List<BlockedRecipient>());
        var open = letters.ToDictionary(l => l.Letter.NoticeId, l => l.Recipients.ToList());
        foreach (var filter in _filters)
        {
            var asked = letters.Where(l => open[l.Letter.NoticeId].Count > 0).Select(l => new RecipientQuestion(l.Letter, [.. open[l.Letter.NoticeId]])).ToList();
            if (asked.Count == 0)
            {
                break;
            }

            var these = await filter.BlockedManyAsync(asked, cancellationToken);
            foreach (var (noticeId, recipients) in these)
            {
                if (!open.TryGetValue(noticeId, out var still))
                {
                    continue;
                }

                foreach (var one in recipients)
                {
                    if (still.RemoveAll(r => string.Equals(r, one.Recipient, StringComparison.OrdinalIgnoreCase)) > 0)
                    {
                        blocked[noticeId].Add(one);
                    }
                }
            }
        }

        return blocked.ToDictionary(b => b.Key, b => (IReadOnlyList<BlockedRecipient>)b.Value);
    }
}
