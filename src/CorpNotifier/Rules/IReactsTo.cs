using System.Collections.Concurrent;
using System.Reflection;
using CorpNotifier.Contracts;

namespace CorpNotifier.Rules;

/// <summary>A notice that is created or dequeued by events of type <typeparamref name="TEvent"/>.</summary>
public interface IReactsTo<in TEvent>
    where TEvent : IEvent
{
    /// <summary>What the notice does on the event: create it, dequeue pending ones, or nothing.</summary>
    IEnumerable<NoticeAction> On(TEvent evt, RuleContext context);
}

/// <summary>
/// Calls a rule's <see cref="IReactsTo{TEvent}"/> for an event known only as <see cref="IEvent"/>:
/// one compiled call per event type, so no event type needs a case of its own anywhere.
/// </summary>
internal static class EventReactions
{
    private static readonly ConcurrentDictionary<Type, Func<NoticeRule, IEvent, RuleContext, IEnumerable<NoticeAction>>> ByEventType = new();

    private static readonly MethodInfo TypedMethod = typeof(EventReactions).GetMethod(nameof(Typed), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IEnumerable<NoticeAction> Of(NoticeRule rule, IEvent evt, RuleContext context) =>
        ByEventType.GetOrAdd(evt.GetType(), type => TypedMethod.MakeGenericMethod(type).CreateDelegate<Func<NoticeRule, IEvent, RuleContext, IEnumerable<NoticeAction>>>())(rule, evt, context);

    /// <summary>The event types a rule class reacts to, by its <see cref="IReactsTo{TEvent}"/> interfaces.</summary>
    public static IReadOnlyList<Type> TypesOf(Type ruleType) =>
        [.. ruleType.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReactsTo<>))
            .Select(i => i.GetGenericArguments()[0])
            .OrderBy(t => t.Name, StringComparer.Ordinal)];

    private static IEnumerable<NoticeAction> Typed<TEvent>(NoticeRule rule, IEvent evt, RuleContext context)
        where TEvent : IEvent =>
        rule is IReactsTo<TEvent> reacting ? reacting.On((TEvent)evt, context) : [];
}
