// System tests start real service processes and mostly wait on them (a sweep, a backoff, a start),
// so two test classes run at once: each has its own database, virtual host, SMTP server and stand-ins,
// and its processes their own ports. Two, not one per core: that fits a two-core machine that also
// runs the other test assemblies. The classes with the most tests start first (MostTestsFirst). The
// tests that stop the shared servers or measure timings run alone, after the others (AloneCollection).
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerClass, MaxParallelThreads = 2)]
[assembly: TestCollectionOrderer(CorpNotifier.SystemTests.MostTestsFirst.TypeName, "CorpNotifier.SystemTests")]
