using System.Globalization;
using System.Text.RegularExpressions;
using CorpNotifier.Hosting;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace CorpNotifier.Tests.Deploy;

/// <summary>
/// The Kubernetes manifests (deploy/kubernetes/) say what the service needs: probes on its
/// health endpoints, resources, a non-root read-only container, selectors that find its pods,
/// and only configuration keys it reads. No cluster is needed: the files are read as YAML.
/// </summary>
public sealed class DeployManifestTests
{
    private static YamlMappingNode Deployment => DeployFiles.Kubernetes("Deployment");

    private static YamlNode Container => Deployment.Items("spec", "template", "spec", "containers").ShouldHaveSingleItem();

    [Fact]
    public void Every_yaml_file_under_deploy_parses_and_every_manifest_names_its_kind()
    {
        var files = DeployFiles.YamlFiles();
        files.ShouldContain(DeployFiles.PathTo("compose.yaml"));
        files.Count(f => f.StartsWith(DeployFiles.PathTo("kubernetes"), StringComparison.Ordinal)).ShouldBeGreaterThan(1);
        foreach (var file in files)
        {
            DeployFiles.Documents(file).ShouldNotBeEmpty(file);
        }

        foreach (var (file, resource) in DeployFiles.KubernetesResources())
        {
            resource.Text("apiVersion").ShouldNotBeNullOrEmpty(file);
            resource.Text("kind").ShouldNotBeNullOrEmpty(file);
            if (resource.Text("kind") != "Kustomization")
            {
                resource.Text("metadata", "name").ShouldNotBeNullOrEmpty(file);
            }
        }
    }

    [Fact]
    public void The_deployment_runs_at_least_two_instances()
    {
        int.Parse(Deployment.Text("spec", "replicas")!, CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void The_probes_ask_the_health_endpoints_on_the_container_port()
    {
        var port = Container.Items("ports").ShouldHaveSingleItem();
        Probe("startupProbe").ShouldBe(("/health/live", port.Text("name")!));
        Probe("livenessProbe").ShouldBe(("/health/live", port.Text("name")!));
        Probe("readinessProbe").ShouldBe(("/health/ready", port.Text("name")!));

        (string Path, string Port) Probe(string name)
        {
            var probe = Container.Get(name, "httpGet").ShouldNotBeNull($"{name} is not an httpGet probe");
            var target = probe.Text("port")!;
            // A probe names the port or gives its number.
            return (probe.Text("path")!, target == port.Text("containerPort") ? port.Text("name")! : target);
        }
    }

    [Fact]
    public void The_pods_ask_prometheus_to_scrape_the_metrics_endpoint_on_the_container_port()
    {
        var port = Container.Items("ports").ShouldHaveSingleItem();
        Deployment.Text("spec", "template", "metadata", "annotations", "prometheus.io/scrape").ShouldBe("true");
        Deployment.Text("spec", "template", "metadata", "annotations", "prometheus.io/path").ShouldBe("/metrics");
        Deployment.Text("spec", "template", "metadata", "annotations", "prometheus.io/port").ShouldBe(port.Text("containerPort"));
        DeployFiles.Kubernetes("ConfigMap").Text("data", "Telemetry__Prometheus").ShouldNotBe("false", "the configuration must not turn GET /metrics off");
    }

    [Fact]
    public void The_container_requests_and_limits_cpu_and_memory()
    {
        var requests = Container.Pairs("resources", "requests");
        var limits = Container.Pairs("resources", "limits");
        foreach (var resource in new[] { "cpu", "memory" })
        {
            requests.ShouldContainKey(resource);
            limits.ShouldContainKey(resource);
            Quantity(limits[resource]).ShouldBeGreaterThanOrEqualTo(Quantity(requests[resource]), resource);
        }
    }

    [Fact]
    public void The_container_runs_as_a_non_root_user_on_a_read_only_root_filesystem_with_no_capabilities()
    {
        var pod = Deployment.Get("spec", "template", "spec", "securityContext");
        var container = Container.Get("securityContext").ShouldNotBeNull();
        (container.Text("runAsNonRoot") ?? pod?.Text("runAsNonRoot")).ShouldBe("true");
        container.Text("readOnlyRootFilesystem").ShouldBe("true");
        container.Text("allowPrivilegeEscalation").ShouldBe("false");
        container.Items("capabilities", "drop").Select(c => ((YamlScalarNode)c).Value).ShouldContain("ALL");
    }

    [Fact]
    public void The_writable_paths_are_empty_dirs()
    {
        var volumes = Deployment.Items("spec", "template", "spec", "volumes").ToDictionary(v => v.Text("name")!);
        var mounts = Container.Items("volumeMounts");
        mounts.Select(m => m.Text("mountPath")).ShouldContain("/tmp");
        foreach (var mount in mounts)
        {
            volumes[mount.Text("name")!].Get("emptyDir").ShouldNotBeNull($"{mount.Text("mountPath")} is not an emptyDir");
        }
    }

    [Fact]
    public void The_selectors_of_the_deployment_the_service_and_the_disruption_budget_find_the_pods()
    {
        var podLabels = Deployment.Pairs("spec", "template", "metadata", "labels");
        Deployment.Pairs("spec", "selector", "matchLabels").Selects(podLabels).ShouldBeTrue("the Deployment's selector");
        DeployFiles.Kubernetes("Service").Pairs("spec", "selector").Selects(podLabels).ShouldBeTrue("the Service's selector");
        var budget = DeployFiles.Kubernetes("PodDisruptionBudget");
        budget.Pairs("spec", "selector", "matchLabels").Selects(podLabels).ShouldBeTrue("the PodDisruptionBudget's selector");
        budget.Text("spec", "minAvailable").ShouldBe("1");
    }

    [Fact]
    public void The_service_sends_to_the_container_port()
    {
        var port = Container.Items("ports").ShouldHaveSingleItem();
        var target = DeployFiles.Kubernetes("Service").Items("spec", "ports").ShouldHaveSingleItem().Text("targetPort");
        new[] { port.Text("name"), port.Text("containerPort") }.ShouldContain(target);
    }

    [Fact]
    public void The_environment_comes_from_the_config_map_and_the_secret()
    {
        var sources = Container.Items("envFrom");
        sources.Select(s => s.Text("configMapRef", "name")).ShouldContain(DeployFiles.Kubernetes("ConfigMap").Text("metadata", "name"));
        sources.Select(s => s.Text("secretRef", "name")).ShouldContain(DeployFiles.Kubernetes("Secret").Text("metadata", "name"));

        var inBoth = ConfigMap().Keys.Intersect(Secret().Keys).ToList();
        inBoth.ShouldBeEmpty("set in the ConfigMap and in the Secret");
    }

    [Fact]
    public void The_kubernetes_configuration_runs_on_rabbitmq_and_postgres()
    {
        var picks = ServiceOptions.Read(Configuration(ConfigMap()));
        picks.Transport.ShouldBe(TransportKind.RabbitMq);
        picks.Database.ShouldBe(DatabaseKind.Postgres);
    }

    [Fact]
    public void Every_setting_in_the_deploy_files_is_a_configuration_key_of_the_service()
    {
        var keys = ConfigurationKeys.Load();
        keys.Count.ShouldBeGreaterThan(40, "README's configuration reference was not found whole");

        var settings = new List<(string Where, string Name)>();
        settings.AddRange(ConfigMap().Keys.Select(k => ("kubernetes/configmap", k)));
        settings.AddRange(Secret().Keys.Select(k => ("kubernetes/secret", k)));
        settings.AddRange(Container.Items("env").Select(e => ("kubernetes/deployment", e.Text("name")!)).Where(s => !IsRuntimeVariable(s.Item2)));
        foreach (var (name, service) in ComposeFileTests.Instances())
        {
            settings.AddRange(service.Pairs("environment").Keys.Select(k => ($"compose.yaml {name}", k)));
        }

        settings.AddRange(EnvironmentFile(DeployFiles.PathTo("systemd", "corp-notifier.env.example")).Select(k => ("systemd/corp-notifier.env.example", k)));
        settings.AddRange(DockerfileTests.Environment().Keys
            .Where(k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && !k.StartsWith("DOTNET_", StringComparison.Ordinal) && !IsRuntimeVariable(k))
            .Select(k => ("docker/Dockerfile", k)));

        settings.Count.ShouldBeGreaterThan(20);
        settings.Where(s => !keys.Knows(s.Name)).Select(s => $"{s.Where}: {s.Name}").ToList()
            .ShouldBeEmpty("not a configuration key of the service (README, \"Configuration reference\")");
    }

    /// <summary>
    /// Variables the deploy files set for the process rather than the service's configuration (read
    /// by the C library or the runtime before the service starts); each is explained in
    /// docs/operations.md.
    /// </summary>
    private static readonly string[] RuntimeVariables = ["MALLOC_ARENA_MAX"];

    private static bool IsRuntimeVariable(string name) => RuntimeVariables.Contains(name, StringComparer.Ordinal);

    [Fact]
    public void Every_process_variable_the_deploy_files_set_is_explained_in_the_operations_guide_and_set_alike_everywhere()
    {
        var operations = File.ReadAllText(Repository.PathTo("docs", "operations.md"));
        var docker = DockerfileTests.Environment();
        var kubernetes = Container.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"), StringComparer.Ordinal);
        var systemd = File.ReadAllText(DeployFiles.PathTo("systemd", "corp-notifier.service"));
        foreach (var name in RuntimeVariables)
        {
            operations.ShouldContain($"`{name}=", Case.Sensitive, $"{name} is not explained in docs/operations.md");
            docker.ShouldContainKey(name);
            var value = docker[name];
            kubernetes.GetValueOrDefault(name).ShouldBe(value, $"{name} in kubernetes/deployment.yaml");
            systemd.ShouldContain($"Environment={name}={value}", Case.Sensitive, $"{name} in systemd/corp-notifier.service");
        }
    }

    [Fact]
    public void The_kustomization_applies_every_manifest_but_the_secret_template()
    {
        var kustomization = DeployFiles.Documents(DeployFiles.PathTo("kubernetes", "kustomization.yaml")).Single();
        var listed = kustomization.Items("resources").Select(r => ((YamlScalarNode)r).Value!).ToList();
        var manifests = DeployFiles.KubernetesResources()
            .Where(r => r.Resource.Text("kind") is not ("Kustomization" or "Secret"))
            .Select(r => r.File)
            .Distinct();
        listed.ShouldBe(manifests, ignoreOrder: true);
    }

    internal static IReadOnlyDictionary<string, string> ConfigMap() => DeployFiles.Kubernetes("ConfigMap").Pairs("data");

    internal static IReadOnlyDictionary<string, string> Secret() => DeployFiles.Kubernetes("Secret").Pairs("stringData");

    internal static IConfiguration Configuration(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();

    /// <summary>The names a systemd environment file sets, commented-out examples (<c>#Key=…</c>) included.</summary>
    private static IEnumerable<string> EnvironmentFile(string path) =>
        File.ReadLines(path)
            .Select(l => Regex.Match(l, "^#?([A-Za-z][A-Za-z0-9_]*)="))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value);

    /// <summary>A Kubernetes quantity (500m, 2, 320Mi, 1Gi, 512M) as a number.</summary>
    private static decimal Quantity(string text)
    {
        var match = Regex.Match(text, "^([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$");
        match.Success.ShouldBeTrue($"{text} is not a quantity");
        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return number * match.Groups[2].Value switch
        {
            "m" => 0.001m,
            "k" => 1e3m,
            "M" => 1e6m,
            "G" => 1e9m,
            "Ki" => 1024m,
            "Mi" => 1024m * 1024,
            "Gi" => 1024m * 1024 * 1024,
            _ => 1m,
        };
    }
}
