using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CorpNotifier.Tests.Deploy;

/// <summary>
/// deploy/docker/Dockerfile: built on the official .NET SDK image, run on the ASP.NET Core
/// runtime of the service's .NET version as a non-root user, with a health check that works
/// in an image with no shell or curl, listening where the manifests expect it.
/// </summary>
public sealed class DockerfileTests
{
    private sealed record Instruction(int Stage, string Keyword, string Arguments);

    private static readonly Lazy<IReadOnlyList<Instruction>> Instructions = new(() => Parse(File.ReadAllText(DeployFiles.PathTo("docker", "Dockerfile"))));

    private static IEnumerable<Instruction> FinalStage => Instructions.Value.Where(i => i.Stage == Instructions.Value.Max(s => s.Stage));

    [Fact]
    public void It_builds_on_the_dotnet_sdk_and_runs_on_the_aspnet_runtime_of_the_services_version()
    {
        var targetFramework = XDocument.Load(Repository.PathTo("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = targetFramework.Replace("net", "", StringComparison.Ordinal);
        var images = Instructions.Value.Where(i => i.Keyword == "FROM").Select(i => i.Arguments.Split(' ')[0]).ToList();
        images[0].ShouldBe($"mcr.microsoft.com/dotnet/sdk:{version}");
        images[^1].ShouldStartWith($"mcr.microsoft.com/dotnet/aspnet:{version}", Case.Sensitive);
    }

    [Fact]
    public void It_runs_as_a_non_root_user()
    {
        var user = FinalStage.Where(i => i.Keyword == "USER").ShouldHaveSingleItem().Arguments;
        user.ShouldNotBeOneOf("root", "0", "0:0", "root:root");
    }

    [Fact]
    public void Its_healthcheck_asks_the_liveness_endpoint_with_a_program_the_image_carries()
    {
        var command = HealthcheckCommand();
        command[0].ShouldBe("dotnet");
        command[^1].ShouldBe($"http://127.0.0.1:{ListeningPort()}/health/live");
        var probeFolder = Path.GetDirectoryName(command[1])!.TrimEnd('/') + "/";
        FinalStage.Where(i => i.Keyword == "COPY").Select(i => i.Arguments.Split(' ')[^1])
            .ShouldContain(probeFolder, $"the final stage does not copy the health probe to {probeFolder}");
    }

    [Fact]
    public void It_listens_on_the_port_it_exposes_and_the_kubernetes_container_declares()
    {
        var port = ListeningPort();
        FinalStage.Where(i => i.Keyword == "EXPOSE").ShouldHaveSingleItem().Arguments.ShouldBe(port);
        DeployFiles.Kubernetes("Deployment").Items("spec", "template", "spec", "containers").ShouldHaveSingleItem()
            .Items("ports").ShouldHaveSingleItem().Text("containerPort").ShouldBe(port);
    }

    [Fact]
    public void It_starts_the_service_and_declares_its_data_folder_a_volume()
    {
        FinalStage.Single(i => i.Keyword == "WORKDIR").Arguments.ShouldBe("/app");
        JsonSerializer.Deserialize<string[]>(FinalStage.Single(i => i.Keyword == "ENTRYPOINT").Arguments)
            .ShouldBe(["dotnet", "CorpNotifier.dll"]);
        FinalStage.Single(i => i.Keyword == "VOLUME").Arguments.ShouldContain("/app/data");
    }

    [Fact]
    public void The_build_context_leaves_out_the_hosts_build_output_and_git()
    {
        var ignored = File.ReadLines(Repository.PathTo(".dockerignore")).Select(l => l.Trim()).ToList();
        ignored.ShouldContain("**/bin");
        ignored.ShouldContain("**/obj");
        ignored.ShouldContain(".git");
    }

    /// <summary>The ENV of the final stage.</summary>
    internal static IReadOnlyDictionary<string, string> Environment() =>
        FinalStage.Where(i => i.Keyword == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    /// <summary>The port of the Urls the image sets (http://+:8080).</summary>
    internal static string ListeningPort()
    {
        var match = Regex.Match(Environment()["Urls"], @"^http://\+:(\d+)$");
        match.Success.ShouldBeTrue("the image should set Urls=http://+:{port}");
        return match.Groups[1].Value;
    }

    /// <summary>The exec form of the HEALTHCHECK's command.</summary>
    internal static string[] HealthcheckCommand()
    {
        var healthcheck = FinalStage.Where(i => i.Keyword == "HEALTHCHECK").ShouldHaveSingleItem().Arguments;
        var command = healthcheck[(healthcheck.IndexOf("CMD ", StringComparison.Ordinal) + 4)..];
        return JsonSerializer.Deserialize<string[]>(command).ShouldNotBeNull();
    }

    /// <summary>Instructions with their stage (each FROM starts one), continuation lines joined, comments dropped.</summary>
    private static IReadOnlyList<Instruction> Parse(string dockerfile)
    {
        var instructions = new List<Instruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in dockerfile.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }

            line = (pending + line).Trim();
            pending = "";
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = line[..space].ToUpperInvariant();
            stage += keyword == "FROM" ? 1 : 0;
            instructions.Add(new Instruction(stage, keyword, line[(space + 1)..].Trim()));
        }

        return instructions;
    }
}
