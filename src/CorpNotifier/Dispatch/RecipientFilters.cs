namespace CorpNotifier.Dispatch;

/// <summary>The letter whose recipients a <see cref="IRecipientFilter"/> is asked about.</summary>
public sealed record RecipientCheck(long NoticeId, string Kind, string? ClientId, DateTimeOffset Now);

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
}

/// <summary>Every registered <see cref="IRecipientFilter"/>, asked in turn: a recipient is blocked by the first filter that blocks it.</summary>
public sealed class RecipientFilters(IEnumerable<IRecipientFilter> filters)
{
    private readonly IReadOnlyList<IRecipientFilter> _filters = [.. filters];

    public async Task<IReadOnlyList<BlockedRecipient>> BlockedAsync(RecipientCheck letter, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        if (_filters.Count == 0 || recipients.Count == 0)
        {
            return [];
        }

        var blocked = new List<BlockedRecipient>();
        var open = recipients.ToList();
        foreach (var filter in _filters)
        {
            if (open.Count == 0)
            {
                break;
            }

            var these = await filter.BlockedAsync(letter, open, cancellationToken);
            foreach (var one in these)
            {
                if (open.RemoveAll(r => string.Equals(r, one.Recipient, StringComparison.OrdinalIgnoreCase)) > 0)
                {
                    blocked.Add(one);
                }
            }
        }

        return blocked;
    }
}
