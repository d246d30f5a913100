using System.Reflection;
using Xunit.Abstractions;

namespace CorpNotifier.SystemTests;

/// <summary>
/// Starts the test classes with the most tests first (AssemblyInfo.cs): a class runs its tests one
/// after another, so a long one started last would run on with nothing beside it while the rest
/// wait. The number of tests stands in for the time they take; ties go by name, so the order is
/// the same on every run.
/// </summary>
public sealed class MostTestsFirst : ITestCollectionOrderer
{
    public const string TypeName = "CorpNotifier.SystemTests.MostTestsFirst";

    /// <summary>How xUnit names the collection of a class (one collection per class).</summary>
    private const string ClassCollection = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(Tests).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int Tests(ITestCollection collection) =>
        collection.DisplayName.StartsWith(ClassCollection, StringComparison.Ordinal)
        && typeof(MostTestsFirst).Assembly.GetType(collection.DisplayName[ClassCollection.Length..]) is { } type
            ? type.GetMethods().Count(m => m.GetCustomAttribute<FactAttribute>() is not null)
            : 0;
}
