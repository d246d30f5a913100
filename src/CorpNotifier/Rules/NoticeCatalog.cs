using CorpNotifier.Contracts;

namespace CorpNotifier.Rules;

/// <summary>Every notice the service knows, by kind, and the evaluation of an event against all of them.</summary>
public sealed class NoticeCatalog
{
    private readonly Dictionary<string, NoticeRule> _byKind;

    public NoticeCatalog(IEnumerable<NoticeRule> rules)
    {
        _byKind = rules.ToDictionary(r => r.Kind, StringComparer.Ordinal);
        Rules = [.. _byKind.Values.OrderBy(r => r.Kind, StringComparer.Ordinal)];
    }

    /// <summary>The catalog of every <see cref="NoticeRule"/> in this assembly.</summary>
    public static NoticeCatalog Discover() => new(DiscoverRuleTypes().Select(t => (NoticeRule)Activator.CreateInstance(t)!));

    public static IEnumerable<Type> DiscoverRuleTypes() =>
        typeof(NoticeRule).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(NoticeRule)));

    public IReadOnlyList<NoticeRule> Rules { get; }

    public IEnumerable<string> Kinds => Rules.Select(r => r.Kind);

    public NoticeRule? Find(string kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>The actions every rule takes on <paramref name="evt"/>, dequeues first.</summary>
    public IReadOnlyList<NoticeAction> Evaluate(IEvent evt, RuleContext context)
    {
        var actions = Rules.SelectMany(r => r.On(evt, context));
        return [.. actions.OrderBy(a => a is DequeueNotices ? 0 : 1)];
    }
}
