// One service process and one browser serve every test (ConsoleFixture); on a two-core machine the
// tests run one at a time so a slow page is the service's doing, not the runner's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
