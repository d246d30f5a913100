// System tests start real service processes; on a two-core machine, running them one at a
// time keeps their timing meaningful (each test still has its own database and virtual host).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
