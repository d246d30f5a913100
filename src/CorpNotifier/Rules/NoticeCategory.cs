namespace CorpNotifier.Rules;

/// <summary>
/// What a letter is, for its recipient: a mandatory one (money, access, the contract, requests)
/// always goes out; an optional one (onboarding nudges, reminders, trial follow-ups) carries a
/// one-click unsubscribe, and an address unsubscribed from its category is skipped. Unsubscribing
/// is per address and category (<see cref="Name"/>, as stored and in links).
/// </summary>
public sealed record NoticeCategory(string Name, bool Mandatory, string Description, string DescriptionRu)
{
    /// <summary>Balances, limits, blocks and unblocks: what the client's service depends on.</summary>
    public static readonly NoticeCategory Money = new("money", true, "balance and limit letters", "письма о балансе и лимите");

    /// <summary>Logins, passwords and the activation of an account.</summary>
    public static readonly NoticeCategory Access = new("access", true, "access and account letters", "письма о доступе и учётной записи");

    /// <summary>A contract's terms and its activation.</summary>
    public static readonly NoticeCategory Contract = new("contract", true, "contract letters", "письма о договоре");

    /// <summary>Answers to a request the client or a manager sent, and the staff's letters about requests.</summary>
    public static readonly NoticeCategory Requests = new("requests", true, "letters about requests", "письма о заявках");

    /// <summary>Nudges to take the first ride.</summary>
    public static readonly NoticeCategory Onboarding = new("onboarding", false, "first-ride suggestions", "предложения совершить первую поездку");

    /// <summary>Reminders to accept the offer of a new contract.</summary>
    public static readonly NoticeCategory Reminders = new("reminders", false, "reminders to accept the offer", "напоминания принять оферту");

    /// <summary>The staff's follow-ups of a trial sign-up.</summary>
    public static readonly NoticeCategory TrialFollowUps = new("trial_follow_ups", false, "trial follow-ups", "письма о пробном доступе для сотрудников");

    public static IReadOnlyList<NoticeCategory> All { get; } = [Money, Access, Contract, Requests, Onboarding, Reminders, TrialFollowUps];

    /// <summary>The optional categories: the ones an address may be unsubscribed from.</summary>
    public static IReadOnlyList<NoticeCategory> Optional { get; } = [.. All.Where(c => !c.Mandatory)];

    /// <summary>The category of that name, or null.</summary>
    public static NoticeCategory? Named(string? name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    public override string ToString() => Name;
}
