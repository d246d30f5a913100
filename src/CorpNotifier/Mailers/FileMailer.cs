using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Mailers;

/// <summary>Section <c>FileMailer</c>.</summary>
public sealed class FileMailerOptions
{
    /// <summary>Where letters are written, one <c>.eml</c> file each; relative to the content root.</summary>
    [Required]
    public string Folder { get; set; } = "data/letters";
}

/// <summary>
/// The embedded default (<c>Mailer = File</c>): renders the letter like the SMTP mailer and writes
/// it as an .eml file, <c>{noticeId}-{kind}-{recipient}.eml</c>. A repeat overwrites the same file.
/// </summary>
public sealed class FileMailer(
    LetterRenderer renderer,
    IOptions<FileMailerOptions> options,
    IOptions<MailOptions> mail,
    IHostEnvironment environment) : IMailer
{
    public async Task<MailResult> SendAsync(Letter letter, CancellationToken cancellationToken)
    {
        RenderedLetter rendered;
        try
        {
            rendered = await renderer.RenderAsync(letter.Slug, letter.Locale, letter.Args);
        }
        catch (TemplateNotFoundException ex)
        {
            return new MailResult.Permanent(ex.Message);
        }

        var folder = Path.GetFullPath(options.Value.Folder, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        var safeRecipient = string.Concat(letter.Recipient.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '@' ? c : '_'));
        var name = $"{letter.NoticeId:D8}-{letter.Kind}-{safeRecipient}.eml";
        var path = Path.Combine(folder, name);
        var temp = path + ".tmp";
        var message = MimeLetterBuilder.Build(letter, rendered, mail.Value);
        await using (var stream = File.Create(temp))
        {
            await message.WriteToAsync(stream, cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
        return new MailResult.Accepted(name);
    }
}
