namespace CorpNotifier.UiTests;

/// <summary>
/// A test of the console: the shared <see cref="ConsoleFixture"/>, and its browser contexts closed
/// once the test is over. Each test class also carries <c>[Collection(ConsoleCollection.Name)]</c>
/// and <c>[Trait("Category", "Ui")]</c> itself.
/// </summary>
public abstract class ConsoleTest(ConsoleFixture console) : IAsyncLifetime
{
    protected ConsoleFixture Console { get; } = console;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Console.CloseContextsAsync();
}
