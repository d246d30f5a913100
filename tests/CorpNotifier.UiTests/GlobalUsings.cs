global using CorpNotifier.TestKit;
global using Microsoft.Playwright;
