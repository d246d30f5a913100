global using CorpNotifier.TestHosting;
global using CorpNotifier.TestKit;
global using Microsoft.Playwright;
