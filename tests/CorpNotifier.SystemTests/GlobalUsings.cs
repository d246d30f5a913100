// The folders whose tables tests read (db.Events, db.Notices, db.Clients…): their accessors are
// extension members declared beside the entities.
global using CorpNotifier.Clients;
global using CorpNotifier.Intake;
global using CorpNotifier.Notices;
// The harness that runs the service as a process and the servers it talks to (ServiceProcess,
// FakeSmtpServer, SenderStandIn), shared with the browser tests and the benchmarks.
global using CorpNotifier.TestHosting;
// What both test projects share: Eventually and the typed events (TestEvents).
global using CorpNotifier.TestKit;
