namespace CorpNotifier.Deliveries;

/// <summary>What a mailer or a mailbox provider said became of one letter to one recipient. Stored and shown in snake case.</summary>
public enum DeliveryOutcome
{
    /// <summary>The recipient's server took it.</summary>
    Delivered,

    /// <summary>Not delivered yet; the mailer is still trying.</summary>
    Deferred,

    /// <summary>Refused for a reason that may pass (a full mailbox, a greylisting server).</summary>
    SoftBounce,

    /// <summary>Refused for good (no such mailbox, no such domain).</summary>
    HardBounce,

    /// <summary>The recipient marked it as spam.</summary>
    Complained,
}

/// <summary>One delivery report matched to its letter: the recipient it concerns, the outcome, the provider's own words and where it came from (<c>webhook</c>, <c>dsn</c>).</summary>
public sealed record DeliveryReport(
    long NoticeId,
    string? ClientId,
    string Kind,
    string Recipient,
    DeliveryOutcome Outcome,
    string? ProviderText,
    DateTimeOffset At,
    string Source);

/// <summary>
/// Told of every delivery report once, after it was matched to its letter and before the unit of
/// work that records it is saved (what a listener changes is committed with the report, or not at
/// all). The suppression list is one.
/// </summary>
public interface IDeliveryListener
{
    Task OnDeliveryAsync(DeliveryReport report, CancellationToken cancellationToken);
}
