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
/// it as an .eml file, <c>{noticeId}-{kind}-{recipient}.eml</c>. It never overwrites: a second write
/// of the same letter (a re-send, a double send) gets <c>…-2.eml</c>, a third <c>…-3.eml</c>, so a
/// duplicate shows in the folder, and the file name is the provider message id the notice records.
/// </summary>
/// <remarks>
/// A name is taken with <see cref="FileMode.CreateNew"/> (an exclusive create: of two writers of the
/// same letter, even at once, exactly one gets it and the other moves on to the next number); the
/// letter is written beside it and renamed over the taken name, so a reader sees no half letter.
/// </remarks>
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
        var path = TakeName(folder, $"{letter.NoticeId:D8}-{letter.Kind}-{safeRecipient}");
        var name = Path.GetFileName(path);
        var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        var message = MimeLetterBuilder.Build(letter, rendered, mail.Value);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await message.WriteToAsync(stream, cancellationToken);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            File.Delete(path); // the name taken but never written: free it again
            throw;
        }

        return new MailResult.Accepted(name);
    }

    /// <summary>How many writes of one letter get their own file; past that something loops, and it fails.</summary>
    internal const int MaxCopies = 1000;

    /// <summary>Takes the first free name of <c>{stem}.eml</c>, <c>{stem}-2.eml</c>, <c>{stem}-3.eml</c>…, atomically, and returns its path.</summary>
    internal static string TakeName(string folder, string stem)
    {
        for (var copy = 1; copy <= MaxCopies; copy++)
        {
            var path = Path.Combine(folder, copy == 1 ? $"{stem}.eml" : $"{stem}-{copy}.eml");
            try
            {
                using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    return path;
                }
            }
            catch (IOException) when (File.Exists(path))
            {
                // Written before, or by a concurrent writer a moment ago: the next number.
            }
        }

        throw new IOException($"{stem}.eml was written {MaxCopies} times already in {folder}.");
    }
}
