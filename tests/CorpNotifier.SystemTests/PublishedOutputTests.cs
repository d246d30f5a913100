using System.Runtime.Versioning;
using System.Text.Json;

namespace CorpNotifier.SystemTests;

/// <summary>
/// The outputs of <c>dotnet publish</c> as they are deployed: copied to a folder of their own, started
/// from another working directory, against the real PostgreSQL and RabbitMQ. A letter rendered from
/// the templates and accepted by the SMTP server proves that the published folder is complete and
/// that the service finds its appsettings and templates next to itself. test.sh publishes both forms
/// and sets the variables below. Linux only: the self-contained build is for linux-x64.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class PublishedOutputTests : SystemTest
{
    public const string FrameworkDependentVariable = "CORP_TEST_PUBLISHED_FDD";
    public const string SelfContainedVariable = "CORP_TEST_PUBLISHED_SCD";

    private readonly List<string> _copies = [];

    /// <summary>A published build migrates an empty database at its first start, as in a first deployment.</summary>
    protected override bool EmptyDatabase => true;

    [Fact]
    public async Task The_framework_dependent_publish_run_by_dotnet_from_another_folder_sends_a_letter()
    {
        var folder = CopyOf(Published(
            FrameworkDependentVariable,
            "dotnet publish src/CorpNotifier -c Release -p:UseAppHost=false -o artifacts/publish/framework-dependent"));
        var runtimeConfig = RuntimeConfig(folder);
        runtimeConfig.TryGetProperty("frameworks", out _).ShouldBeTrue("a framework-dependent build names the shared frameworks it runs on");
        File.Exists(Path.Combine(folder, "libcoreclr.so")).ShouldBeFalse("a framework-dependent build carries no runtime of its own");

        await SendsALetterAsync(ServiceCommand.Dotnet(Path.Combine(folder, "CorpNotifier.dll")));
    }

    [Fact]
    public async Task The_self_contained_linux_x64_publish_run_as_an_executable_from_another_folder_sends_a_letter()
    {
        var folder = CopyOf(Published(
            SelfContainedVariable,
            "dotnet publish src/CorpNotifier -c Release -r linux-x64 --self-contained true -o artifacts/publish/linux-x64"));
        var runtimeConfig = RuntimeConfig(folder);
        runtimeConfig.TryGetProperty("includedFrameworks", out _).ShouldBeTrue("a self-contained build lists the frameworks it includes");
        File.Exists(Path.Combine(folder, "libcoreclr.so")).ShouldBeTrue("a self-contained build carries its own runtime");
        var executable = Path.Combine(folder, "CorpNotifier");
        File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute).ShouldBeTrue($"{executable} is executable");

        await SendsALetterAsync(ServiceCommand.Executable(executable));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var copy in _copies)
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>A balance event that makes a letter at once, rendered from the templates and sent over SMTP.</summary>
    private async Task SendsALetterAsync(ServiceCommand command)
    {
        var service = await StartServiceAsync(mailer: "Smtp", name: "published", command: command);
        await SeedClientAsync(service);

        await PostAsync(service, Events.Balance("client-42", 150, 50));

        var notice = (await WaitForNoticesAsync(
            n => n.Count == 1 && n[0].Status is NoticeStatus.Sent or NoticeStatus.Failed,
            $"the letter of {command} to be sent or fail"))[0];
        notice.Status.ShouldBe(NoticeStatus.Sent, $"{notice.ReasonCode}: {notice.Reason}");
        notice.SentSlug.ShouldBe("low-balance");
        var message = Smtp.Messages.ShouldHaveSingleItem();
        message.To.ToString().ShouldBe("billing@acme.example");
        message.Headers["X-Notice-Id"].ShouldBe(notice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        message.Subject.ShouldBe("Баланс по договору ДГ-7 скоро закончится");
        message.TextBody!.ShouldContain("опустился до 50 RUB (было 150 RUB)");
        message.HtmlBody!.ShouldContain("<b>50 RUB</b>");
    }

    /// <summary>
    /// The published folder named by <paramref name="variable"/>. Unset, the test fails with the fix:
    /// a missing publish must not pass unnoticed.
    /// </summary>
    private static string Published(string variable, string publishCommand)
    {
        var folder = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(folder))
        {
            throw new InvalidOperationException(
                $"{variable} is not set. This test starts a published build of the service: run ./test.sh, which publishes it and sets "
                + $"{FrameworkDependentVariable} and {SelfContainedVariable}, or publish it yourself and point {variable} at the folder "
                + $"(full path): {publishCommand}");
        }

        return File.Exists(Path.Combine(folder, "CorpNotifier.dll"))
            ? folder
            : throw new InvalidOperationException($"{variable} is {folder}, which holds no CorpNotifier.dll. Publish it with: {publishCommand}");
    }

    /// <summary>A copy of the published folder somewhere else, as a deployment puts it (executable bits kept).</summary>
    private string CopyOf(string published)
    {
        var copy = Directory.CreateTempSubdirectory("corp-notifier-published-").FullName;
        _copies.Add(copy);
        foreach (var directory in Directory.EnumerateDirectories(published, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(copy, Path.GetRelativePath(published, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(published, file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }

        return copy;
    }

    private static JsonElement RuntimeConfig(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "CorpNotifier.runtimeconfig.json")));
        return document.RootElement.GetProperty("runtimeOptions").Clone();
    }
}
