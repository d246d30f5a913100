using System.Text.Json;
using System.Text.Json.Nodes;
using CorpNotifier.Clients;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using CorpNotifier.Notices;
using CorpNotifier.Persistence;
using CorpNotifier.Rules;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CorpNotifier.Dispatch;

public enum SendOutcome
{
    /// <summary>Not due, already claimed, or no longer pending: someone else has it, or nothing to do.</summary>
    NotClaimed,
    Sent,
    Shadowed,
    Rejected,
    RetryScheduled,
    Failed,
    LeaseLost,
}

/// <summary>
/// The single send path: claim the letter under a lease, run the send-time checks, call the
/// mailer once per recipient, record the outcome. Only the holder of the lease records it.
/// </summary>
/// <remarks>
/// At-most-once: the claim is a conditional update from <c>pending</c>, so redelivered commands
/// and concurrent instances find nothing to claim. The one window where a letter can go out twice
/// is a crash after the mailer accepted it and before the commit that records that recipient;
/// recipients already recorded are never sent again after a recovery.
/// </remarks>
public sealed partial class NoticeSender(
    NoticesDbContext db,
    NoticeCatalog catalog,
    INoticeSettingsSource settings,
    IClientDirectory directory,
    IMailer mailer,
    TimeProvider time,
    IOptions<DispatchOptions> options,
    IOptions<TemplateOptions> templateOptions,
    IOptions<InstanceOptions> instance,
    NotifierMetrics metrics,
    DatabaseAvailability database,
    ILogger<NoticeSender> logger)
{
    public const string Mask = "***";

    public async Task<SendOutcome> SendAsync(long noticeId, CancellationToken cancellationToken)
    {
        var opts = options.Value;
        var now = time.GetUtcNow();
        var token = Guid.NewGuid();
        var claimed = await db.Notices
            .Where(n => n.Id == noticeId && n.Status == NoticeStatus.Pending && n.SendAt <= now)
            .ExecuteUpdateAsync(
                s => s.SetProperty(n => n.Status, NoticeStatus.Sending)
                    .SetProperty(n => n.LeaseToken, token)
                    .SetProperty(n => n.LeaseUntil, now + opts.Lease)
                    .SetProperty(n => n.QueuedUntil, (DateTimeOffset?)null)
                    .SetProperty(n => n.Attempts, n => n.Attempts + 1)
                    .SetProperty(n => n.UpdatedAt, now),
                cancellationToken);
        if (claimed == 0)
        {
            LogNotClaimed(noticeId);
            return SendOutcome.NotClaimed;
        }

        var notice = await db.Notices.FirstAsync(n => n.Id == noticeId, cancellationToken);
        notice.Record(now, TimelineEntryTypes.Claimed, $"attempt {notice.Attempts}", instance.Value.Name);
        try
        {
            return await SendClaimedAsync(notice, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLeaseLost(notice.Id, notice.Kind);
            return SendOutcome.LeaseLost;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !Persistence.DatabaseFaults.IsUnavailable(ex))
        {
            // Whatever went wrong with this letter stays with this letter: it is retried with
            // backoff and, past MaxAttempts, ends failed — it never stops the others.
            LogUnexpected(ex, notice.Id, notice.Kind);
            db.ChangeTracker.Clear();
            notice = await db.Notices.FirstAsync(n => n.Id == noticeId, cancellationToken);
            if (notice.Status != NoticeStatus.Sending || notice.LeaseToken != token)
            {
                return SendOutcome.LeaseLost;
            }

            return await RetryOrFailAsync(notice, ex.GetType().Name + ": " + ex.Message, cancellationToken);
        }
    }

    private async Task<SendOutcome> SendClaimedAsync(Notice notice, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (notice.Attempts > options.Value.MaxAttempts)
        {
            return await FinishAsync(notice, NoticeStatus.Failed, ReasonCodes.TooManyAttempts, $"gave up after {notice.Attempts - 1} attempts", cancellationToken);
        }

        var rule = catalog.Find(notice.Kind);
        var noticeSettings = await settings.GetAsync(notice.Kind, cancellationToken);
        ClientProfile? client = null;
        ContractProfile? contract = null;
        if (rule is not null && noticeSettings.Enabled)
        {
            try
            {
                client = await directory.FindClientAsync(notice.ClientId, cancellationToken);
                contract = notice.ContractId is null ? null : await directory.FindContractAsync(notice.ContractId, cancellationToken);
            }
            catch (ClientDirectoryUnavailableException ex)
            {
                return await RetryOrFailAsync(notice, ex.Message, cancellationToken);
            }

            if (client is null)
            {
                // Its profile may still be on its way (events travel on separate queues): wait, do not reject.
                return await RetryOrFailAsync(notice, $"client {notice.ClientId} is not known to the client directory", cancellationToken, ReasonCodes.UnknownClient);
            }
        }

        string slug;
        IReadOnlyList<string> recipients;
        switch (SendDecision.Decide(rule, noticeSettings, new SendCheckContext(notice.Kind, notice.ClientId, notice.ContractId, client, contract, now)))
        {
            case SendDecision.Stop stop:
                return await FinishAsync(notice, stop.Status, stop.ReasonCode, stop.Reason, cancellationToken);
            case SendDecision.Shadow shadow:
                notice.SentSlug = shadow.Slug;
                notice.SentTo = JsonSerializer.Serialize(shadow.Recipients);
                return await FinishAsync(notice, NoticeStatus.Shadowed, null, $"shadow mode: would have sent {shadow.Slug} to {shadow.Recipients.Count} recipient(s)", cancellationToken);
            case SendDecision.Send send:
                (slug, recipients) = (send.Slug, send.Recipients);
                notice.SentSlug = slug;
                break;
            default:
                throw new InvalidOperationException("unknown send decision");
        }

        var locale = client?.Locale ?? templateOptions.Value.DefaultLocale;
        var args = JsonNode.Parse(notice.Args)?.AsObject() ?? [];
        var accepted = notice.SentTo is null ? [] : JsonSerializer.Deserialize<List<string>>(notice.SentTo) ?? [];
        var remaining = recipients.Where(r => !accepted.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        for (var i = 0; i < remaining.Count; i++)
        {
            var recipient = remaining[i];
            var result = await mailer.SendAsync(new Letter(notice.Id, notice.Kind, slug, recipient, locale, (JsonObject)args.DeepClone()), cancellationToken);
            switch (result)
            {
                case MailResult.Accepted ok:
                    accepted.Add(recipient);
                    notice.SentTo = JsonSerializer.Serialize(accepted);
                    notice.ProviderMessageId = ok.ProviderMessageId ?? notice.ProviderMessageId;
                    notice.UpdatedAt = time.GetUtcNow();
                    notice.Record(notice.UpdatedAt, TimelineEntryTypes.RecipientAccepted, $"{EmailAddress.Mask(recipient)} accepted" + (ok.ProviderMessageId is null ? "" : $", message id {ok.ProviderMessageId}"));
                    if (i < remaining.Count - 1)
                    {
                        // Progress is committed per recipient so that a recovered letter skips
                        // those already sent; after the last one, the final commit records it.
                        await RecordAsync(cancellationToken);
                    }

                    break;
                case MailResult.Transient transient:
                    return await RetryOrFailAsync(notice, transient.Error, cancellationToken);
                case MailResult.Permanent permanent:
                    return await FinishAsync(notice, NoticeStatus.Failed, ReasonCodes.MailerRejected, permanent.Error, cancellationToken);
            }
        }

        notice.SentAt = time.GetUtcNow();
        return await FinishAsync(notice, NoticeStatus.Sent, null, null, cancellationToken);
    }

    private async Task<SendOutcome> RetryOrFailAsync(Notice notice, string error, CancellationToken cancellationToken, string finalReasonCode = ReasonCodes.MailerFailed)
    {
        if (notice.Attempts >= options.Value.MaxAttempts)
        {
            return await FinishAsync(notice, NoticeStatus.Failed, finalReasonCode, $"gave up after {notice.Attempts} attempts; last error: {error}", cancellationToken);
        }

        var now = time.GetUtcNow();
        var next = now + options.Value.BackoffAfter(notice.Attempts);
        notice.Status = NoticeStatus.Pending;
        notice.SendAt = next;
        notice.ReasonCode = ReasonCodes.RetryScheduled;
        notice.Reason = Notice.Truncate(error);
        notice.LeaseToken = null;
        notice.LeaseUntil = null;
        notice.UpdatedAt = now;
        notice.Record(now, TimelineEntryTypes.AttemptFailed, $"attempt {notice.Attempts} failed: {error}; next attempt at {next:O}");
        await RecordAsync(cancellationToken);
        LogRetry(notice.Id, notice.Kind, notice.Attempts, next, EmailAddress.MaskAll(error));
        metrics.LetterDone(notice.Kind, "retry");
        return SendOutcome.RetryScheduled;
    }

    private async Task<SendOutcome> FinishAsync(Notice notice, NoticeStatus status, string? reasonCode, string? reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        notice.Status = status;
        notice.ReasonCode = reasonCode;
        notice.Reason = Notice.Truncate(reason);
        notice.LeaseToken = null;
        notice.LeaseUntil = null;
        notice.UpdatedAt = now;
        notice.Args = MaskSecrets(notice.Kind, notice.Args);
        notice.Record(now, status switch
        {
            NoticeStatus.Sent => TimelineEntryTypes.Sent,
            NoticeStatus.Shadowed => TimelineEntryTypes.Shadowed,
            NoticeStatus.Rejected => TimelineEntryTypes.Rejected,
            _ => TimelineEntryTypes.Failed,
        }, reasonCode is null ? reason : $"{reasonCode}: {reason}");
        await RecordAsync(cancellationToken);
        LogFinished(notice.Id, notice.Kind, status, reasonCode);
        metrics.LetterDone(notice.Kind, status.ToString().ToLowerInvariant());
        if (status == NoticeStatus.Sent)
        {
            metrics.LetterSent(notice.Kind, now - notice.SendAt);
        }
        return status switch
        {
            NoticeStatus.Sent => SendOutcome.Sent,
            NoticeStatus.Shadowed => SendOutcome.Shadowed,
            NoticeStatus.Rejected => SendOutcome.Rejected,
            _ => SendOutcome.Failed,
        };
    }

    /// <summary>
    /// Saves what this attempt did. What the mailer accepted must not be forgotten because the
    /// database is gone for a while: the save waits for it to come back and tries again, rather than
    /// leave the claim to expire and the letter to go out a second time. (After an outage the
    /// sweeper leaves expired claims alone for one lease, so their holders can record them first.)
    /// A failure that only looks like an outage is given up after a few tries, like the gate does.
    /// </summary>
    private async Task RecordAsync(CancellationToken cancellationToken)
    {
        var falseAlarms = 0;
        while (true)
        {
            var outagesBefore = database.ConfirmedOutages;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
            {
                database.ReportUnavailable(ex, time.GetUtcNow());
                await database.WaitUntilAvailableAsync(cancellationToken);
                if (database.ConfirmedOutages == outagesBefore && ++falseAlarms >= Messaging.DatabaseGateFilter.FalseAlarms)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Secrets reach the mailer but never stay in storage once the letter is done.</summary>
    private string MaskSecrets(string kind, string args)
    {
        var secrets = catalog.Find(kind)?.SecretArguments;
        if (secrets is not { Count: > 0 } || JsonNode.Parse(args) is not JsonObject json)
        {
            return args;
        }

        foreach (var name in secrets.Where(json.ContainsKey))
        {
            json[name] = Mask;
        }

        return json.ToJsonString(NoticeScheduler.ArgsJson);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notice {NoticeId} not claimed: not due, already claimed or no longer pending")]
    private partial void LogNotClaimed(long noticeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} ({Kind}): the claim expired before the outcome was recorded; another attempt owns it")]
    private partial void LogLeaseLost(long noticeId, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notice {NoticeId} ({Kind}): unexpected error in the send path")]
    private partial void LogUnexpected(Exception exception, long noticeId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} ({Kind}): attempt {Attempt} failed, next at {NextAttemptAt}: {Error}")]
    private partial void LogRetry(long noticeId, string kind, int attempt, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} ({Kind}) ended {Status}, reason code {ReasonCode}")]
    private partial void LogFinished(long noticeId, string kind, NoticeStatus status, string? reasonCode);
}
