using System.Text.RegularExpressions;
using CorpNotifier.Contracts;

namespace CorpNotifier.Rules;

/// <summary>
/// One notice: which events create or dequeue it, when it is due, what it checks before it is
/// sent, and which template arguments it carries. Pure code: no I/O, no clock of its own.
/// Adding a notice is one subclass (found by assembly scan) implementing <see cref="IReactsTo{TEvent}"/>
/// for each event it creates or dequeues it on, plus its templates and settings.
/// </summary>
public abstract partial class NoticeRule
{
    /// <summary>The notice's kind, stored on every notice of it, e.g. <c>LowBalanceNotice</c>.</summary>
    public string Kind => GetType().Name;

    /// <summary>The delay after the triggering event when settings give none.</summary>
    public virtual TimeSpan DefaultOffset => TimeSpan.Zero;

    /// <summary>The mailer slug when settings give none: the kind in kebab case without "Notice".</summary>
    public string DefaultSlug => KebabCase().Replace(Kind.EndsWith("Notice", StringComparison.Ordinal) ? Kind[..^6] : Kind, "-$1").ToLowerInvariant();

    /// <summary>One line for operators and docs: what triggers the notice.</summary>
    public abstract string Trigger { get; }

    /// <summary>One line for operators and docs: what dequeues it (it ends <c>dequeued</c>), rejects it, or keeps it from being created.</summary>
    public virtual string CancelledBy => "—";

    /// <summary>The reason codes this notice's own send-time check may answer (for docs and operators).</summary>
    public virtual IReadOnlyList<string> SendChecks => [];

    /// <summary>The template arguments every notice of this kind carries.</summary>
    public virtual IReadOnlyList<string> Arguments => [];

    /// <summary>Arguments a notice may lack (the template copes); the others are required for a manual send.</summary>
    public virtual IReadOnlySet<string> OptionalArguments => new HashSet<string> { "external_id", "client_name" };

    /// <summary>The arguments a manual send must give.</summary>
    public IReadOnlyList<string> RequiredArguments => [.. Arguments.Where(a => !OptionalArguments.Contains(a))];

    /// <summary>Arguments that reach the mailer but are masked in storage once sent.</summary>
    public virtual IReadOnlySet<string> SecretArguments => new HashSet<string>();

    /// <summary>
    /// What the letter is to its recipient: mandatory (money, access, contract, requests) or optional
    /// (onboarding, reminders, trial follow-ups). Optional letters carry a one-click unsubscribe, and
    /// an address unsubscribed from the category does not get them; mandatory ones always go out.
    /// </summary>
    public abstract NoticeCategory Category { get; }

    /// <summary>Who receives it: the client, the staff (moderators), or the sales manager of a request.</summary>
    public virtual Audience Audience => Audience.Client;

    /// <summary>
    /// The arguments the mailer gets, from the stored ones (the same, by default). A letter whose
    /// stored arguments hold an encrypted secret opens it here (<see cref="MailerContext.Open"/>);
    /// a secret that does not open stops the letter (<c>undecryptable_secret</c>).
    /// </summary>
    public virtual MailerArguments ForMailer(System.Text.Json.Nodes.JsonObject stored, MailerContext context) => MailerArguments.Same(stored);

    /// <summary>What must happen, in the same transaction, once a letter of this kind is recorded as sent (e.g. tell another service).</summary>
    public virtual IEnumerable<SentEffect> WhenSent(SentLetter letter) => [];

    /// <summary>The event types this notice reacts to: the <see cref="IReactsTo{TEvent}"/> it implements.</summary>
    public IReadOnlyList<Type> ReactsTo => EventReactions.TypesOf(GetType());

    /// <summary>
    /// What this notice does on <paramref name="evt"/>: what its <see cref="IReactsTo{TEvent}"/> of the
    /// event's type decides, or nothing when it does not react to that type.
    /// </summary>
    public IEnumerable<NoticeAction> On(IEvent evt, RuleContext context) => EventReactions.Of(this, evt, context);

    /// <summary>The notice's own send-time checks (the common ones — enabled, slug, recipients — run for every notice).</summary>
    public virtual SendCheck CheckBeforeSend(SendCheckContext context) => SendCheck.Pass;

    /// <summary>A notice of this kind, due after its configured offset.</summary>
    protected EnqueueNotice Enqueue(RuleContext context, string? contractId, IReadOnlyDictionary<string, object?> args, string? uniqueKey = null) =>
        new(Kind, contractId, context.DueAt(Kind), args, uniqueKey);

    /// <summary>A notice for the staff or a manager, about a request of <paramref name="country"/>: its extra recipients are that country's.</summary>
    protected EnqueueNotice EnqueueFor(string country, RuleContext context, string? contractId, IReadOnlyDictionary<string, object?> args, IReadOnlyList<string>? recipients = null) =>
        new(Kind, contractId, context.DueAt(Kind), args) { Country = country, Recipients = recipients ?? [] };

    /// <summary>Dequeue the pending notices of this kind for the contract (any contract when null).</summary>
    protected DequeueNotices Dequeue(string? contractId) => new(Kind, contractId);

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex KebabCase();
}
