// The folders whose tables tests read (db.Events, db.Notices, db.Clients…): their accessors are
// extension members declared beside the entities.
global using CorpNotifier.Clients;
global using CorpNotifier.Intake;
global using CorpNotifier.Notices;
// What both test projects share: Eventually and the typed events (TestEvents).
global using CorpNotifier.TestKit;
