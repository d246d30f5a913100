namespace CorpNotifier.SystemTests;

/// <summary>
/// The test classes that run with no other system test beside them, one after another, once the
/// classes that run two at a time are done: those that stop the shared PostgreSQL or RabbitMQ
/// (every other test would see the outage), and those whose assertions are timings that another
/// test's load would stretch.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
