using CorpNotifier.Admin;
using CorpNotifier.AdminUi;
using CorpNotifier.Auth;
using CorpNotifier.Clients;
using CorpNotifier.Deliveries;
using CorpNotifier.Dispatch;
using CorpNotifier.Health;
using CorpNotifier.Hosting;
using CorpNotifier.Intake;
using CorpNotifier.Mailers;
using CorpNotifier.Messaging;
using CorpNotifier.Notices;
using CorpNotifier.Operations;
using CorpNotifier.Persistence;
using CorpNotifier.Privacy;
using CorpNotifier.Unsubscribes;

if (OperatorCommands.Handles(args)) return await OperatorCommands.RunAsync(args);

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));
builder.Host.ValidateServicesOnBuild();
var picks = ServiceOptions.Read(builder.Configuration);

builder.Services
    .AddServiceDefaults(picks)
    .AddTelemetry(builder.Configuration)
    .AddNoticePipeline()
    .AddPersistence(builder.Configuration, builder.Environment, picks)
    .AddMessaging(picks, bus => bus.AddEventConsumers())
    .AddNotices()
    .AddClientDirectory(picks)
    .AddMailers(picks)
    .AddDeliveries(builder.Configuration)
    .AddDispatch(builder.Configuration)
    .AddPrivacy(builder.Configuration)
    .AddIntake(builder.Configuration)
    .AddApiKeyAuth()
    .AddAdmin()
    .AddAdminUi(builder.Configuration)
    .AddUnsubscribes()
    .AddSuppressions()
    .AddHealth();

var app = builder.Build();
app.UseServiceDefaults();
app.MapIntakeApi();
app.MapDeliveries();
app.MapAdmin();
app.MapPrivacy();
app.MapAdminUi();
app.MapUnsubscribe();
app.MapSuppressions();
app.MapHealth();
app.MapMetrics();
app.Run();
return 0;
