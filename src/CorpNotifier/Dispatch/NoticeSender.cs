using CorpNotifier.Calendars;
using CorpNotifier.Clients;
using CorpNotifier.Hosting;
using CorpNotifier.Mailers;
using CorpNotifier.Messaging;
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

    /// <summary>Taken outside its send window: pending again until the window opens.</summary>
    Held,
}

/// <summary>
/// The single send path: claim the notice under a lease, run the send-time checks, call the
/// mailer once per recipient, record the outcome. Only the holder of the lease records it.
/// </summary>
/// <remarks>
/// At-most-once: the claim is a conditional update from <c>pending</c>, so a notice handed over
/// twice and concurrent instances find nothing to claim. The one window where a letter can go out twice
/// is a crash after the mailer accepted it and before the commit that records that recipient;
/// recipients already recorded are never sent again after a recovery.
/// </remarks>
public sealed partial class NoticeSender(
    NoticesDbContext db,
    NoticeLedger ledger,
    NoticeCatalog catalog,
    INoticeSettingsSource settings,
    IClientDirectory directory,
    IMailer mailer,
    TimeProvider time,
    IOptions<DispatchOptions> options,
    IOptions<TemplateOptions> templateOptions,
    IOptions<InstanceOptions> instance,
    InstanceIdentity identity,
    Secrets.SecretBox secrets,
    Outbox outbox,
    LocalDirectoryWriter localDirectory,
    SendTimes sendTimes,
    RecipientFilters recipientFilters,
    IEnumerable<ILetterDecorator> letterDecorators,
    ILogger<NoticeSender> logger)
{
    public async Task<SendOutcome> SendAsync(long noticeId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = Guid.NewGuid();
            var notice = await ledger.ClaimAsync(noticeId, token, options.Value.Lease, instance.Value.Name, identity.Incarnation, cancellationToken);
            if (notice is null)
            {
                LogNotClaimed(noticeId);
                return SendOutcome.NotClaimed;
            }

            var mailerCalled = false;
            try
            {
                return await SendClaimedAsync(notice, token, () => mailerCalled = true, cancellationToken);
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && !mailerCalled && attempt < OutageAttempts && !cancellationToken.IsCancellationRequested)
            {
                // The database went away while the send-time checks read it: nothing reached the
                // mailer, so the claim goes back once the database is back, and is taken again at
                // once — rather than left to its lease (minutes) while the letter is long due.
                var handedBack = await ledger.HandBackAfterOutageAsync(notice.Id, token, ex, cancellationToken);
                LogHandedBack(notice.Id, notice.Kind, handedBack);
            }
        }
    }

    /// <summary>Claims of one letter handed back after an outage before the error is left to the caller (and the claim to its lease).</summary>
    private const int OutageAttempts = 3;

    private async Task<SendOutcome> SendClaimedAsync(Notice notice, Guid token, Action mailerCalling, CancellationToken cancellationToken)
    {
        var noticeId = notice.Id;
        try
        {
            return await CheckAndSendAsync(notice, mailerCalling, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            LogLeaseLost(notice.Id, notice.Kind);
            return SendOutcome.LeaseLost;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !DatabaseFaults.IsUnavailable(ex))
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

    private async Task<SendOutcome> CheckAndSendAsync(Notice notice, Action mailerCalling, CancellationToken cancellationToken)
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
                (client, contract) = await directory.FindClientAndContractAsync(notice.ClientId, notice.ContractId, cancellationToken);
            }
            catch (ClientDirectoryUnavailableException ex)
            {
                return await RetryOrFailAsync(notice, ex.Message, cancellationToken);
            }

            if (client is null && rule.Audience == Audience.Client)
            {
                // Its profile may still be on its way (events travel on separate queues): wait, do not reject.
                return await RetryOrFailAsync(notice, $"client {notice.ClientId} is not known to the client directory", cancellationToken, ReasonCodes.UnknownClient);
            }
        }

        var checks = new SendCheckContext(notice.Kind, notice.ClientId, notice.ContractId, client, contract, now) { Country = notice.Country, Recipients = notice.Recipients };
        var decision = SendDecision.Decide(rule, noticeSettings, checks);
        if (decision is SendDecision.Stop stop)
        {
            return await FinishAsync(notice, stop.Status, stop.ReasonCode, stop.Reason, cancellationToken);
        }

        // The window is checked again now: a late sweep, a retry's backoff, a changed window or a
        // client's new time zone never sends a letter outside it.
        if (noticeSettings.Window.IsOn && sendTimes.Enabled && rule is not null)
        {
            var recipient = sendTimes.For(rule.Audience, client, notice.Country);
            var opening = sendTimes.Opening(now, noticeSettings.Window, recipient);
            if (opening > now)
            {
                await ledger.HoldAsync(notice, opening, $"held for the send window until {SendTimes.Local(opening, recipient)}", cancellationToken);
                LogHeld(notice.Id, notice.Kind, opening);
                return SendOutcome.Held;
            }
        }

        // What the mailer gets: a secret opened only now, for the mailer alone (shadow mode too, so
        // a token that would not open shows up before the letter goes live).
        var forMailer = rule!.ForMailer(notice.Args, new MailerContext(secrets.TryOpen));
        if (forMailer.Args is not { } mailerArgs)
        {
            return await FinishAsync(notice, NoticeStatus.Rejected, ReasonCodes.UndecryptableSecret, forMailer.Problem, cancellationToken);
        }

        string slug;
        IReadOnlyList<string> recipients;
        switch (decision)
        {
            case SendDecision.Shadow shadow:
                NoticeLedger.WouldHaveSent(notice, shadow.Slug, shadow.Recipients);
                return await FinishAsync(notice, NoticeStatus.Shadowed, null, $"shadow mode: would have sent {shadow.Slug} to {shadow.Recipients.Count} recipient(s)", cancellationToken);
            case SendDecision.Send send:
                (slug, recipients) = (send.Slug, send.Recipients);
                notice.SentSlug = slug;
                break;
            default:
                throw new InvalidOperationException("unknown send decision");
        }

        var locale = client?.Locale ?? templateOptions.Value.DefaultLocale;
        var remaining = recipients.Where(r => !notice.SentTo.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        var blocked = await recipientFilters.BlockedAsync(new RecipientCheck(notice.Id, notice.Kind, notice.ClientId, now), remaining, cancellationToken);
        foreach (var skipped in blocked)
        {
            remaining.RemoveAll(r => string.Equals(r, skipped.Recipient, StringComparison.OrdinalIgnoreCase));
            ledger.RecipientSkipped(notice, EmailAddress.Mask(skipped.Recipient), skipped.ReasonCode, skipped.Reason);
            LogSkipped(notice.Id, notice.Kind, skipped.ReasonCode);
        }

        if (remaining.Count == 0 && blocked.Count > 0 && notice.SentTo.Count == 0)
        {
            // Nobody left to write to: the letter ends here, with the reason of the recipients it had.
            var code = blocked.Select(b => b.ReasonCode).Distinct(StringComparer.Ordinal).Count() == 1 ? blocked[0].ReasonCode : ReasonCodes.Suppressed;
            var reason = string.Join("; ", blocked.Select(b => $"{EmailAddress.Mask(b.Recipient)}: {b.Reason}"));
            return await FinishAsync(notice, NoticeStatus.Rejected, code, reason, cancellationToken);
        }

        for (var i = 0; i < remaining.Count; i++)
        {
            var recipient = remaining[i];
            mailerCalling();
            var letter = new Letter(notice.Id, notice.Kind, slug, recipient, locale, mailerArgs.DeepClone().AsObject());
            foreach (var decorator in letterDecorators)
            {
                letter = decorator.Decorate(letter, now);
            }

            var result = await mailer.SendAsync(letter, cancellationToken);
            switch (result)
            {
                case MailResult.Accepted ok:
                    // Progress is saved per recipient so that a recovered letter skips those
                    // already sent; after the last one, the outcome's save records it.
                    await ledger.AcceptedAsync(notice, recipient, EmailAddress.Mask(recipient), ok.ProviderMessageId, save: i < remaining.Count - 1, cancellationToken);
                    break;
                case MailResult.Transient transient:
                    return await RetryOrFailAsync(notice, transient.Error, cancellationToken, notBefore: transient.RetryAfter);
                case MailResult.Permanent permanent:
                    return await FinishAsync(notice, NoticeStatus.Failed, ReasonCodes.MailerRejected, permanent.Error, cancellationToken);
            }
        }

        await ApplyWhenSentAsync(rule, notice, cancellationToken);
        return await FinishAsync(notice, NoticeStatus.Sent, null, null, cancellationToken);
    }

    /// <summary>What the letter's sending causes, added to the transaction that records it as sent.</summary>
    private async Task ApplyWhenSentAsync(NoticeRule rule, Notice notice, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var effect in rule.WhenSent(new SentLetter(notice.Id, notice.Kind, notice.ClientId, notice.Args, now)))
        {
            switch (effect)
            {
                case SentEffect.Publish publish:
                    outbox.Add(publish.Message, publish.MessageId, notice.Id, now);
                    break;
                case SentEffect.ActivationLetterSent sent:
                    await localDirectory.ActivationLetterSentAsync(sent.RequestId, sent.NoticeId, now, cancellationToken);
                    break;
            }
        }
    }

    private async Task<SendOutcome> RetryOrFailAsync(Notice notice, string error, CancellationToken cancellationToken, string finalReasonCode = ReasonCodes.MailerFailed, TimeSpan? notBefore = null)
    {
        if (notice.Attempts >= options.Value.MaxAttempts)
        {
            return await FinishAsync(notice, NoticeStatus.Failed, finalReasonCode, $"gave up after {notice.Attempts} attempts; last error: {error}", cancellationToken);
        }

        // The mailer's Retry-After, when it gave one longer than the backoff, is honoured.
        var backoff = options.Value.BackoffAfter(notice.Attempts);
        var next = time.GetUtcNow() + (notBefore is { } wait && wait > backoff ? wait : backoff);
        await ledger.RetryAsync(notice, ReasonCodes.RetryScheduled, error, next, cancellationToken);
        LogRetry(notice.Id, notice.Kind, notice.Attempts, next, EmailAddress.MaskAll(error));
        return SendOutcome.RetryScheduled;
    }

    private async Task<SendOutcome> FinishAsync(Notice notice, NoticeStatus status, string? reasonCode, string? reason, CancellationToken cancellationToken)
    {
        await ledger.FinishAsync(notice, status, reasonCode, reason, catalog.Find(notice.Kind)?.SecretArguments ?? new HashSet<string>(), cancellationToken);
        LogFinished(notice.Id, notice.Kind, status, reasonCode);
        return status switch
        {
            NoticeStatus.Sent => SendOutcome.Sent,
            NoticeStatus.Shadowed => SendOutcome.Shadowed,
            NoticeStatus.Rejected => SendOutcome.Rejected,
            _ => SendOutcome.Failed,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} ({Kind}): the database went away during its send-time checks; claim handed back once it returned: {HandedBack}")]
    private partial void LogHandedBack(long noticeId, string kind, bool handedBack);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} ({Kind}) taken outside its send window: held until {OpensAt}")]
    private partial void LogHeld(long noticeId, string kind, DateTimeOffset opensAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice {NoticeId} ({Kind}): a recipient skipped, {ReasonCode}")]
    private partial void LogSkipped(long noticeId, string kind, string reasonCode);

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
