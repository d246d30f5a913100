using CorpNotifier.Persistence;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CorpNotifier.Deliveries;

/// <summary>
/// Reads the SMTP mailer's bounces: polls the IMAP mailbox of <c>Deliveries:Imap</c> (the envelope
/// sender's, <c>Smtp:BounceAddress</c>), reads each message as a delivery status notification
/// (<see cref="DsnParser"/>), records its events as the webhook's are (source <c>dsn</c>), and moves
/// it to the processed folder. A message that is no readable notification is logged (no address)
/// and moved to the unparsed folder, kept for inspection; nothing a message holds stops the reader.
/// Several instances may read one mailbox: a report is recorded once, and a message moved by one is
/// gone for the others.
/// </summary>
public sealed partial class DsnMailboxReader(
    IServiceScopeFactory scopes,
    IOptions<DeliveryImapOptions> options,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<DsnMailboxReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var read = await PollAsync(stoppingToken);
                if (read > 0)
                {
                    LogPolled(logger, read);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The mailbox or the database is away: the next poll tries again.
                LogPollFailed(logger, ex.GetType().Name, ex.Message);
            }

            // A cadence on the machine's clock, as the sweeper's.
            await Task.Delay(settings.PollInterval, TimeProvider.System, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One poll: reads up to a batch of messages; returns how many it handled.</summary>
    public async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new ImapClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        await client.ConnectAsync(settings.Host!, settings.Port, settings.Security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.User))
        {
            await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        }

        var inbox = await client.GetFolderAsync(settings.Folder, cancellationToken);
        await inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var uids = await inbox.SearchAsync(SearchQuery.NotDeleted, cancellationToken);
        if (uids.Count == 0)
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
            return 0;
        }

        var processed = await FolderAsync(client, settings.ProcessedFolder, cancellationToken);
        var unparsed = await FolderAsync(client, settings.UnparsedFolder, cancellationToken);
        var handled = 0;
        foreach (var uid in uids.Take(settings.BatchSize))
        {
            MimeMessage message;
            try
            {
                message = await inbox.GetMessageAsync(uid, cancellationToken);
            }
            catch (MessageNotFoundException)
            {
                continue; // another instance took it
            }
            catch (FormatException ex)
            {
                await KeepUnparsedAsync(inbox, uid, unparsed, ex.Message, cancellationToken);
                handled++;
                continue;
            }

            DsnReading reading;
            try
            {
                reading = DsnParser.Read(message, time.GetUtcNow());
            }
            catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or InvalidOperationException)
            {
                reading = new DsnReading([], $"{ex.GetType().Name}: {ex.Message}");
            }

            if (!reading.IsReadable)
            {
                await KeepUnparsedAsync(inbox, uid, unparsed, reading.Problem!, cancellationToken);
                handled++;
                continue;
            }

            var result = await RecordAsync(reading.Events, cancellationToken);
            LogRead(logger, uid.Id, result.Recorded, result.Duplicates, result.Unknown);
            await inbox.MoveToAsync(uid, processed, cancellationToken);
            handled++;
        }

        await client.DisconnectAsync(quit: true, cancellationToken);
        return handled;
    }

    private async Task<DeliveryBatchResult> RecordAsync(IReadOnlyList<IncomingDelivery> events, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var recorder = scope.ServiceProvider.GetRequiredService<DeliveryRecorder>();
            var result = await recorder.RecordAsync(events, "dsn", cancellationToken);
            try
            {
                await recorder.SaveAsync(cancellationToken);
                return result;
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < 3)
            {
                // Another instance recorded the same report meanwhile: read again, it is a duplicate now.
            }
        }
    }

    private async Task KeepUnparsedAsync(IMailFolder inbox, UniqueId uid, IMailFolder unparsed, string problem, CancellationToken cancellationToken)
    {
        metrics.Unparsed();
        // The problem names parts and fields, never the message's addresses.
        LogUnparsed(logger, uid.Id, Notices.EmailAddress.MaskAll(problem), unparsed.FullName);
        await inbox.MoveToAsync(uid, unparsed, cancellationToken);
    }

    /// <summary>A folder of the mailbox, created when missing.</summary>
    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken)
                ?? throw new InvalidOperationException($"the mailbox did not create the folder {name}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bounce mailbox: {Count} messages handled")]
    private static partial void LogPolled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bounce mailbox message {Uid}: {Recorded} reports recorded, {Duplicates} recorded before, {Unknown} for no known letter")]
    private static partial void LogRead(ILogger logger, uint uid, int recorded, int duplicates, int unknown);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bounce mailbox message {Uid} is no readable delivery status notification ({Problem}); kept in {Folder} for inspection")]
    private static partial void LogUnparsed(ILogger logger, uint uid, string problem, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the bounce mailbox failed ({Error}: {Message}); trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, string error, string message);
}
