using CorpNotifier.Contracts;
using CorpNotifier.Operations;
using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Intake;

/// <summary>
/// An event type is registered whole or not at all: a row of <see cref="EventTypes.All"/> for every
/// event of the contracts, and for every row its schema file, its queue, its section and example in
/// docs/events.md, its line in docs/operations.md's queue table, and a rule that reacts to it (or a
/// stated reason why none does).
/// </summary>
public sealed class EventTypeRegistrationTests
{
    private static readonly string EventsGuide = File.ReadAllText(Repository.PathTo("docs", "events.md"));

    private static readonly string OperationsGuide = File.ReadAllText(Repository.PathTo("docs", "operations.md"));

    [Fact]
    public void Every_event_of_the_contracts_has_a_row_and_every_row_is_an_event_of_the_contracts()
    {
        var contracts = typeof(IEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEvent).IsAssignableFrom(t))
            .Select(t => t.Name)
            .ToList();

        contracts.ShouldNotBeEmpty();
        EventTypes.All.Select(t => t.Name).ShouldBe(contracts, ignoreOrder: true, "an event of CorpNotifier.Contracts without a row in Intake/EventTypes.cs, or a row that is no event of the contracts");
    }

    [Fact]
    public void Every_row_is_registered_whole()
    {
        var problems = EventTypes.All.SelectMany(Problems).ToList();

        problems.ShouldBeEmpty("event types registered by half (docs/design.md, \"Adding an event\")");
    }

    [Fact]
    public void Every_event_a_rule_reacts_to_has_a_row()
    {
        var reactedTo = NoticeCatalog.Discover().Rules.SelectMany(r => r.ReactsTo).Distinct();

        reactedTo.Where(t => !EventTypes.ByName.ContainsKey(t.Name)).ShouldBeEmpty("rules react to events the service does not take");
    }

    [Fact]
    public void A_row_registered_by_half_is_named_with_everything_it_lacks()
    {
        var half = new EventType<ContractRenamed>("A contract was renamed.");

        Problems(half).ShouldBe(
        [
            "ContractRenamed: no schema file contracts/schemas/ContractRenamed.schema.json",
            "ContractRenamed: no queue corp-notifier-contract-renamed in ServiceQueues",
            "ContractRenamed: no section '### ContractRenamed' in docs/events.md",
            "ContractRenamed: no example marked <!-- example: ContractRenamed http --> in docs/events.md",
            "ContractRenamed: no row for `corp-notifier-contract-renamed` in docs/operations.md's queue table",
            "ContractRenamed: no rule reacts to it, and its row gives no reason (StartsNoLetter)",
        ]);
        Problems(half.StartsNoLetter("feeds the directory")).ShouldNotContain(p => p.Contains("no rule", StringComparison.Ordinal));
    }

    /// <summary>What a row lacks to be registered whole.</summary>
    private static IEnumerable<string> Problems(EventType type)
    {
        var queue = $"corp-notifier-{type.Queue}";
        if (!File.Exists(Repository.PathTo("contracts", "schemas", $"{type.Name}.schema.json")))
        {
            yield return $"{type.Name}: no schema file contracts/schemas/{type.Name}.schema.json";
        }

        if (!ServiceQueues.Names("corp-notifier").Contains(queue))
        {
            yield return $"{type.Name}: no queue {queue} in ServiceQueues";
        }

        if (!EventsGuide.Contains($"\n### {type.Name}\n", StringComparison.Ordinal))
        {
            yield return $"{type.Name}: no section '### {type.Name}' in docs/events.md";
        }

        if (!EventsGuide.Contains($"<!-- example: {type.Name} http -->", StringComparison.Ordinal))
        {
            yield return $"{type.Name}: no example marked <!-- example: {type.Name} http --> in docs/events.md";
        }

        if (!OperationsGuide.Contains($"\n| `{queue}` |", StringComparison.Ordinal))
        {
            yield return $"{type.Name}: no row for `{queue}` in docs/operations.md's queue table";
        }

        var reacting = NoticeCatalog.Discover().Rules.Where(r => r.ReactsTo.Contains(type.ClrType)).Select(r => r.Kind).ToList();
        if (reacting.Count == 0 && type.StartsNoLetterBecause is null)
        {
            yield return $"{type.Name}: no rule reacts to it, and its row gives no reason (StartsNoLetter)";
        }

        if (reacting.Count > 0 && type.StartsNoLetterBecause is not null)
        {
            yield return $"{type.Name}: its row says it starts no letter ({type.StartsNoLetterBecause}), but {string.Join(", ", reacting)} react to it";
        }
    }

    /// <summary>An event a later version might add, registered by half.</summary>
    private sealed record ContractRenamed : IEvent
    {
        public required string EventId { get; init; }

        public required DateTimeOffset OccurredAt { get; init; }

        public string? ClientId { get; init; }
    }
}
