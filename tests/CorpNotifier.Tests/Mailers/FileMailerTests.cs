using System.Text.Json.Nodes;
using CorpNotifier.Mailers;
using CorpNotifier.Tests.Templates;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Tests.Mailers;

/// <summary>The file mailer writes into a real folder and never overwrites a letter: every write is a file of its own.</summary>
public sealed class FileMailerTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("corp-notifier-letters-");

    private string Folder => Path.Combine(_root.FullName, "letters");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task A_letter_is_written_as_one_eml_file_named_after_its_notice_kind_and_recipient()
    {
        var result = await Mailer().SendAsync(Letter(7), CancellationToken.None);

        var name = result.ShouldBeOfType<MailResult.Accepted>().ProviderMessageId!;
        name.ShouldBe("00000007-LowBalanceNotice-billing@acme.example.eml");
        Files().ShouldBe([name]);
        (await File.ReadAllTextAsync(Path.Combine(Folder, name))).ShouldContain("To: billing@acme.example");
    }

    [Fact]
    public async Task A_second_and_third_write_of_the_same_letter_get_their_own_numbered_files()
    {
        var mailer = Mailer();

        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            names.Add(((MailResult.Accepted)await mailer.SendAsync(Letter(7), CancellationToken.None)).ProviderMessageId!);
        }

        names.ShouldBe([
            "00000007-LowBalanceNotice-billing@acme.example.eml",
            "00000007-LowBalanceNotice-billing@acme.example-2.eml",
            "00000007-LowBalanceNotice-billing@acme.example-3.eml",
        ]);
        Files().Order(StringComparer.Ordinal).ShouldBe(names.Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            new FileInfo(Path.Combine(Folder, name)).Length.ShouldBeGreaterThan(0, $"{name} holds the whole letter");
        }
    }

    [Fact]
    public async Task Two_concurrent_writes_of_the_same_letter_make_two_files_and_overwrite_none()
    {
        const int Writers = 2;
        for (var round = 0; round < 20; round++)
        {
            var letter = Letter(100 + round);
            using var start = new Barrier(Writers);
            var writes = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
            {
                var mailer = Mailer();
                start.SignalAndWait();
                return ((MailResult.Accepted)await mailer.SendAsync(letter, CancellationToken.None)).ProviderMessageId!;
            }));

            var names = await Task.WhenAll(writes);

            names.Distinct().Count().ShouldBe(Writers, $"round {round}: {string.Join(", ", names)}");
            names.Order(StringComparer.Ordinal).ShouldBe([
                $"{100 + round:D8}-LowBalanceNotice-billing@acme.example-2.eml",
                $"{100 + round:D8}-LowBalanceNotice-billing@acme.example.eml",
            ]);
        }

        Files().Count.ShouldBe(40, "one file per write, no temporary file left");
    }

    [Fact]
    public void A_name_is_taken_once_however_many_ask_for_it_at_once()
    {
        Directory.CreateDirectory(Folder);

        var taken = Enumerable.Range(0, 16).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => Path.GetFileName(FileMailer.TakeName(Folder, "00000001-ActivateClientNotice-a@b.example")))
            .ToList();

        taken.Distinct().Count().ShouldBe(16);
        taken.ShouldContain("00000001-ActivateClientNotice-a@b.example.eml");
        taken.ShouldContain("00000001-ActivateClientNotice-a@b.example-16.eml");
    }

    private FileMailer Mailer() => new(
        TemplateSnapshotTests.Renderer(),
        Options.Create(new FileMailerOptions { Folder = Folder }),
        Options.Create(new MailOptions()),
        new FolderEnvironment(_root.FullName));

    private static Letter Letter(long noticeId) => new(
        noticeId,
        "LowBalanceNotice",
        "low-balance",
        "billing@acme.example",
        "ru",
        new JsonObject { ["contract_id"] = "contract-7", ["old_balance"] = "150", ["new_balance"] = "50", ["currency"] = "RUB" });

    private List<string> Files() => [.. Directory.GetFiles(Folder).Select(f => Path.GetFileName(f)!)];

    private sealed class FolderEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "CorpNotifier";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
