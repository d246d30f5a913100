using CorpNotifier.Admin;
using CorpNotifier.AdminUi;
using CorpNotifier.Auth;
using CorpNotifier.Clients;
using CorpNotifier.Dispatch;
using CorpNotifier.Health;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Mailers;
using CorpNotifier.Messaging;
using CorpNotifier.Notices;
using CorpNotifier.Operations;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using CorpNotifier.Secrets;

if (OperatorCommands.Handles(args)) return await OperatorCommands.RunAsync(args);

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));
var picks = ServiceOptions.Read(builder.Configuration);

builder.Services
    .AddServiceDefaults(picks)
    .AddTelemetry(builder.Configuration)
    .AddPersistence(builder.Configuration, builder.Environment, picks)
    .AddMessaging(picks)
    .AddRules()
    .AddNotices()
    .AddClientDirectory(picks)
    .AddSecrets()
    .AddMailers(picks)
    .AddDispatch(builder.Configuration)
    .AddIntake()
    .AddApiKeyAuth()
    .AddAdmin()
    .AddAdminUi(builder.Configuration)
    .AddHealth();

var app = builder.Build();
app.UseServiceDefaults();
app.MapIntakeApi();
app.MapAdmin();
app.MapAdminUi();
app.MapHealth();
app.MapMetrics();
app.Run();
return 0;
