using CorpNotifier.Hosting;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace CorpNotifier.Tests.Deploy;

/// <summary>
/// deploy/compose.yaml: two instances of the service built from the Dockerfile, on PostgreSQL,
/// RabbitMQ and a mail catcher, each waiting for what it needs to be healthy. deploy/check.sh
/// also runs <c>docker-compose config</c> on it; these tests check what that cannot.
/// </summary>
public sealed class ComposeFileTests
{
    private static YamlMappingNode Services => (YamlMappingNode)DeployFiles.Compose().Get("services").ShouldNotBeNull();

    /// <summary>The services built from deploy/docker/Dockerfile: the instances of corp-notifier.</summary>
    internal static IReadOnlyList<(string Name, YamlNode Service)> Instances() =>
        [.. Services.Children
            .Where(s => s.Value.Text("build", "dockerfile") == "deploy/docker/Dockerfile")
            .Select(s => (((YamlScalarNode)s.Key).Value!, s.Value))];

    private static (string Name, YamlNode Service) ByImage(string prefix) =>
        Services.Children
            .Where(s => s.Value.Text("image")?.StartsWith(prefix, StringComparison.Ordinal) == true)
            .Select(s => (((YamlScalarNode)s.Key).Value!, s.Value))
            .ShouldHaveSingleItem($"one service from an image {prefix}…");

    [Fact]
    public void Compose_runs_two_instances_of_the_service_postgres_rabbitmq_with_management_and_a_mail_catcher()
    {
        Instances().Count.ShouldBe(2);
        ByImage("postgres:");
        ByImage("rabbitmq:").Service.Text("image").ShouldEndWith("-management");
        ByImage("axllent/mailpit:");
    }

    [Fact]
    public void Each_instance_runs_on_rabbitmq_postgres_and_smtp_to_the_mail_catcher()
    {
        var (postgres, postgresService) = ByImage("postgres:");
        var (rabbitmq, rabbitmqService) = ByImage("rabbitmq:");
        var (mailpit, _) = ByImage("axllent/mailpit:");
        foreach (var (name, service) in Instances())
        {
            var environment = service.Pairs("environment");
            var picks = ServiceOptions.Read(DeployManifestTests.Configuration(environment));
            picks.ShouldBe(new ServiceOptions(TransportKind.RabbitMq, DatabaseKind.Postgres, MailerKind.Smtp, ClientDirectoryKind.Local), name);

            var database = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__Postgres"]);
            database.Host.ShouldBe(postgres, name);
            database.Username.ShouldBe(postgresService.Pairs("environment")["POSTGRES_USER"], name);
            database.Database.ShouldBe(postgresService.Pairs("environment")["POSTGRES_DB"], name);

            environment["RabbitMq__Host"].ShouldBe(rabbitmq, name);
            environment["RabbitMq__Username"].ShouldBe(rabbitmqService.Pairs("environment")["RABBITMQ_DEFAULT_USER"], name);
            environment["RabbitMq__VirtualHost"].ShouldBe(rabbitmqService.Pairs("environment")["RABBITMQ_DEFAULT_VHOST"], name);

            environment["Smtp__Host"].ShouldBe(mailpit, name);
            environment["Smtp__Port"].ShouldBe("1025", $"{name}: Mailpit's SMTP port");
        }
    }

    [Fact]
    public void Each_instance_waits_for_postgres_and_rabbitmq_to_be_healthy()
    {
        var (postgres, _) = ByImage("postgres:");
        var (rabbitmq, _) = ByImage("rabbitmq:");
        foreach (var (name, service) in Instances())
        {
            service.Text("depends_on", postgres, "condition").ShouldBe("service_healthy", name);
            service.Text("depends_on", rabbitmq, "condition").ShouldBe("service_healthy", name);
        }
    }

    [Fact]
    public void Every_service_has_a_healthcheck_and_the_instances_ask_the_service_through_the_image_probe()
    {
        foreach (var service in Services.Children)
        {
            service.Value.Items("healthcheck", "test").ShouldNotBeEmpty(((YamlScalarNode)service.Key).Value);
        }

        var probe = DockerfileTests.HealthcheckCommand();
        foreach (var (name, service) in Instances())
        {
            var test = service.Items("healthcheck", "test").Select(t => ((YamlScalarNode)t).Value!).ToList();
            test.Take(3).ShouldBe(["CMD", .. probe.Take(2)], name);
            test[^1].ShouldStartWith($"http://127.0.0.1:{DockerfileTests.ListeningPort()}/health/", customMessage: name);
        }
    }

    [Fact]
    public void Each_instance_runs_on_a_read_only_root_filesystem_with_a_tmpfs_for_tmp()
    {
        foreach (var (name, service) in Instances())
        {
            service.Text("read_only").ShouldBe("true", name);
            service.Items("tmpfs").Select(t => ((YamlScalarNode)t).Value).ShouldContain("/tmp", name);
            service.Items("cap_drop").Select(c => ((YamlScalarNode)c).Value).ShouldContain("ALL", name);
        }
    }

    [Fact]
    public void RabbitMQ_starts_with_the_management_and_shovel_plugins()
    {
        var mount = ByImage("rabbitmq:").Service.Items("volumes")
            .Select(v => ((YamlScalarNode)v).Value!.Split(':'))
            .Where(v => v[1] == "/etc/rabbitmq/enabled_plugins")
            .ShouldHaveSingleItem();
        var plugins = File.ReadAllText(DeployFiles.PathTo(mount[0]));
        plugins.ShouldContain("rabbitmq_management");
        plugins.ShouldContain("rabbitmq_shovel");
        plugins.TrimEnd().ShouldEndWith("].");
    }
}
