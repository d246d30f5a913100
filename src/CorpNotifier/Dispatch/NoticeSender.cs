using System.Text.Json.Nodes;
using System.Threading.Channels;
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
/// The single send path, for a batch of letters at once (or one): claim them under one lease in one
/// statement, run the send-time checks with one read of their clients, contracts and recipient
/// filters, call the mailer for every letter concurrently (each letter's recipients in turn), and
/// record what happened. Only the holder of the lease records it.
/// </summary>
/// <remarks>
/// <para>
/// At-most-once: the claim is a conditional update from <c>pending</c>, so a notice handed over
/// twice and concurrent instances find nothing to claim. The one window where a letter can go out twice
/// is a crash after the mailer accepted it and before the commit that records that recipient;
/// recipients already recorded are never sent again after a recovery.
/// </para>
/// <para>
/// The window stays as narrow as with a letter at a time: what the mailer answers is not held until
/// the whole batch is done, it is committed as it comes (a group commit: whatever answers arrived
/// while the last commit ran go into the next one). A commit the database refuses for one letter (its
/// lease lost, a row it will not take) is split, and each letter's steps are saved alone, so one
/// letter's trouble stays with that letter.
/// </para>
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
    /// <summary>Claims of a batch handed back after an outage before the error is left to the caller (and the claims to their lease).</summary>
    private const int OutageAttempts = 3;

    private static readonly HashSet<string> NoSecrets = [];

    /// <summary>One step of a letter's life applied to its row in the unit of work; a final step answers the letter's outcome.</summary>
    private delegate Task<SendOutcome?> LetterStep(Notice notice, CancellationToken cancellationToken);

    public async Task<SendOutcome> SendAsync(long noticeId, CancellationToken cancellationToken) =>
        (await SendAsync([noticeId], cancellationToken))[noticeId];

    /// <summary>Sends a batch of letters; what became of each, by notice id (<see cref="SendOutcome.NotClaimed"/> for those someone else has).</summary>
    public async Task<IReadOnlyDictionary<long, SendOutcome>> SendAsync(IReadOnlyCollection<long> noticeIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(noticeIds);
        var outcomes = noticeIds.Distinct().ToDictionary(id => id, _ => SendOutcome.NotClaimed);
        IReadOnlyCollection<long> wanted = [.. outcomes.Keys];
        for (var attempt = 1; ; attempt++)
        {
            var token = Guid.NewGuid();
            var claimed = await ledger.ClaimAsync(wanted, token, options.Value.Lease, identity.Incarnation, cancellationToken);
            foreach (var id in wanted.Except(claimed.Select(n => n.Id)))
            {
                LogNotClaimed(id);
            }

            if (claimed.Count == 0)
            {
                return outcomes;
            }

            LogClaimed(claimed.Count, wanted.Count);

            var letters = claimed.Select(n => new SendingLetter(n)).ToList();
            try
            {
                await CheckAsync(letters, cancellationToken);
            }
            catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex) && attempt < OutageAttempts && !cancellationToken.IsCancellationRequested)
            {
                // The database went away while the send-time checks read it: nothing reached the
                // mailer, so the claims go back once the database is back, and are taken again at
                // once — rather than left to their lease (minutes) while the letters are long due.
                wanted = [.. letters.Select(l => l.Id)];
                var handedBack = await ledger.HandBackAfterOutageAsync(wanted, token, ex, cancellationToken);
                LogHandedBack(letters.Count, handedBack);
                continue;
            }

            try
            {
                await SendCheckedAsync(letters, token, cancellationToken);
            }
            finally
            {
                foreach (var letter in letters)
                {
                    letter.Done = true;
                    outcomes[letter.Id] = letter.Outcome ?? SendOutcome.LeaseLost;
                }
            }

            return outcomes;
        }
    }

    /// <summary>
    /// The send-time checks of every letter claimed, with one read of the settings per kind, one of the
    /// clients and contracts, and one question to the recipient filters: each letter ends up with its
    /// steps so far and, when it goes to the mailer, what to send.
    /// </summary>
    private async Task CheckAsync(IReadOnlyList<SendingLetter> letters, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var letter in letters)
        {
            letter.Unsaved.Clear();
            letter.Unsaved.Add((n, _) =>
            {
                ledger.Claimed(n, instance.Value.Name);
                return Task.FromResult<SendOutcome?>(null);
            });
        }

        List<(SendingLetter Letter, Candidate Candidate)> candidates;
        try
        {
            var byKind = new Dictionary<string, EffectiveNoticeSettings>(StringComparer.Ordinal);
            foreach (var kind in letters.Select(l => l.Kind).Distinct(StringComparer.Ordinal))
            {
                byKind[kind] = await settings.GetAsync(kind, cancellationToken);
            }

            var (found, directoryDown) = await DirectoryAsync(letters, byKind, cancellationToken);
            candidates = [];
            foreach (var letter in letters)
            {
                try
                {
                    if (Check(letter, byKind[letter.Kind], found, directoryDown, now) is { } candidate)
                    {
                        candidates.Add((letter, candidate));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Unexpected(letter, ex);
                }
            }

            var blocked = await recipientFilters.BlockedManyAsync(
                [.. candidates.Select(c => new RecipientQuestion(new RecipientCheck(c.Letter.Id, c.Letter.Kind, c.Letter.Notice.ClientId, now), c.Candidate.Recipients))],
                cancellationToken);
            foreach (var (letter, candidate) in candidates)
            {
                Filter(letter, candidate, blocked.TryGetValue(letter.Id, out var these) ? these : [], now);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !DatabaseFaults.IsUnavailable(ex))
        {
            // A read of the whole batch failed: every letter not decided yet is retried with backoff.
            foreach (var letter in letters.Where(l => !l.Ended))
            {
                letter.Mailing = null;
                Unexpected(letter, ex);
            }
        }
    }

    /// <summary>The clients and contracts of the letters whose rule is on, in one read; the directory's error when it is unavailable.</summary>
    private async Task<(DirectoryData Found, string? Down)> DirectoryAsync(IReadOnlyList<SendingLetter> letters, IReadOnlyDictionary<string, EffectiveNoticeSettings> byKind, CancellationToken cancellationToken)
    {
        var asking = letters.Where(l => catalog.Find(l.Kind) is not null && byKind[l.Kind].Enabled && l.Notice.Attempts <= options.Value.MaxAttempts).ToList();
        var empty = new DirectoryData(new Dictionary<string, ClientProfile>(), new Dictionary<string, ContractProfile>());
        if (asking.Count == 0)
        {
            return (empty, null);
        }

        try
        {
            var found = await directory.FindManyAsync(
                [.. asking.Select(l => l.Notice.ClientId).OfType<string>().Distinct(StringComparer.Ordinal)],
                [.. asking.Select(l => l.Notice.ContractId).OfType<string>().Distinct(StringComparer.Ordinal)],
                cancellationToken);
            return (found, null);
        }
        catch (ClientDirectoryUnavailableException ex)
        {
            return (empty, ex.Message);
        }
    }

    /// <summary>One letter's checks: its steps when it ends here, or what it would send.</summary>
    private Candidate? Check(SendingLetter letter, EffectiveNoticeSettings noticeSettings, DirectoryData found, string? directoryDown, DateTimeOffset now)
    {
        var notice = letter.Notice;
        if (notice.Attempts > options.Value.MaxAttempts)
        {
            Finish(letter, NoticeStatus.Failed, ReasonCodes.TooManyAttempts, $"gave up after {notice.Attempts - 1} attempts");
            return null;
        }

        var rule = catalog.Find(notice.Kind);
        ClientProfile? client = null;
        ContractProfile? contract = null;
        if (rule is not null && noticeSettings.Enabled)
        {
            if (directoryDown is not null)
            {
                End(letter, RetryOrFail(directoryDown));
                return null;
            }

            client = notice.ClientId is null ? null : found.Clients.GetValueOrDefault(notice.ClientId);
            contract = notice.ContractId is null ? null : found.Contracts.GetValueOrDefault(notice.ContractId);
            if (client is null && rule.Audience == Audience.Client)
            {
                // Its profile may still be on its way (events travel on separate queues): wait, do not reject.
                End(letter, RetryOrFail($"client {notice.ClientId} is not known to the client directory", ReasonCodes.UnknownClient));
                return null;
            }
        }

        var checks = new SendCheckContext(notice.Kind, notice.ClientId, notice.ContractId, client, contract, now) { Country = notice.Country, Recipients = notice.Recipients };
        var decision = SendDecision.Decide(rule, noticeSettings, checks);
        if (decision is SendDecision.Stop stop)
        {
            Finish(letter, stop.Status, stop.ReasonCode, stop.Reason);
            return null;
        }

        // The window is checked again now: a late sweep, a retry's backoff, a changed window or a
        // client's new time zone never sends a letter outside it.
        if (noticeSettings.Window.IsOn && sendTimes.Enabled && rule is not null)
        {
            var recipient = sendTimes.For(rule.Audience, client, notice.Country);
            var opening = sendTimes.Opening(now, noticeSettings.Window, recipient);
            if (opening > now)
            {
                var detail = $"held for the send window until {SendTimes.Local(opening, recipient)}";
                End(letter, (n, _) =>
                {
                    ledger.Hold(n, opening, detail);
                    return Task.FromResult<SendOutcome?>(SendOutcome.Held);
                });
                return null;
            }
        }

        // What the mailer gets: a secret opened only now, for the mailer alone (shadow mode too, so
        // a token that would not open shows up before the letter goes live).
        var forMailer = rule!.ForMailer(notice.Args, new MailerContext(secrets.TryOpen));
        if (forMailer.Args is not { } mailerArgs)
        {
            Finish(letter, NoticeStatus.Rejected, ReasonCodes.UndecryptableSecret, forMailer.Problem);
            return null;
        }

        switch (decision)
        {
            case SendDecision.Shadow shadow:
                letter.Unsaved.Add((n, _) =>
                {
                    NoticeLedger.WouldHaveSent(n, shadow.Slug, shadow.Recipients);
                    return Task.FromResult<SendOutcome?>(null);
                });
                Finish(letter, NoticeStatus.Shadowed, null, $"shadow mode: would have sent {shadow.Slug} to {shadow.Recipients.Count} recipient(s)");
                return null;
            case SendDecision.Send send:
                letter.Unsaved.Add((n, _) =>
                {
                    n.SentSlug = send.Slug;
                    return Task.FromResult<SendOutcome?>(null);
                });
                var remaining = send.Recipients.Where(r => !notice.SentTo.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
                return new Candidate(rule, send.Slug, client?.Locale ?? templateOptions.Value.DefaultLocale, mailerArgs, remaining);
            default:
                throw new InvalidOperationException("unknown send decision");
        }
    }

    /// <summary>The recipients the filters leave a letter: skipped ones are steps; with nobody left, the letter ends here.</summary>
    private void Filter(SendingLetter letter, Candidate candidate, IReadOnlyList<BlockedRecipient> blocked, DateTimeOffset now)
    {
        var remaining = candidate.Recipients.ToList();
        foreach (var skipped in blocked)
        {
            remaining.RemoveAll(r => string.Equals(r, skipped.Recipient, StringComparison.OrdinalIgnoreCase));
            var masked = EmailAddress.Mask(skipped.Recipient);
            letter.Unsaved.Add((n, _) =>
            {
                ledger.RecipientSkipped(n, masked, skipped.ReasonCode, skipped.Reason);
                return Task.FromResult<SendOutcome?>(null);
            });
            LogSkipped(letter.Id, letter.Kind, skipped.ReasonCode);
        }

        if (remaining.Count == 0 && blocked.Count > 0 && letter.Notice.SentTo.Count == 0)
        {
            // Nobody left to write to: the letter ends here, with the reason of the recipients it had.
            var code = blocked.Select(b => b.ReasonCode).Distinct(StringComparer.Ordinal).Count() == 1 ? blocked[0].ReasonCode : ReasonCodes.Suppressed;
            var reason = string.Join("; ", blocked.Select(b => $"{EmailAddress.Mask(b.Recipient)}: {b.Reason}"));
            Finish(letter, NoticeStatus.Rejected, code, reason);
            return;
        }

        letter.Mailing = new Mailing(candidate.Rule, candidate.Slug, candidate.Locale, candidate.MailerArgs, remaining, now);
    }

    /// <summary>
    /// Calls the mailer for every letter that goes out, concurrently, and commits the answers as they
    /// come: each commit takes whatever arrived while the one before it ran.
    /// </summary>
    private async Task SendCheckedAsync(IReadOnlyList<SendingLetter> letters, Guid token, CancellationToken cancellationToken)
    {
        var answers = Channel.CreateUnbounded<Answer>(new UnboundedChannelOptions { SingleReader = true });
        var mailing = letters.Where(l => l.Mailing is not null).ToList();
        var calls = mailing.Select(l => MailAsync(l, answers.Writer, cancellationToken)).ToList();
        var open = mailing.Count;
        try
        {
            while (true)
            {
                if (open > 0)
                {
                    // Every call answers last with a final step, so this wait always ends.
                    var answer = await answers.Reader.ReadAsync(CancellationToken.None);
                    do
                    {
                        answer.Letter.Answered = true;
                        if (answer.Accepted is { } accepted)
                        {
                            answer.Letter.Accepted.Add(accepted);
                        }

                        if (answer.Step is { } step && !answer.Letter.Done)
                        {
                            answer.Letter.Unsaved.Add(step);
                        }

                        open -= answer.Final ? 1 : 0;
                    }
                    while (answers.Reader.TryRead(out answer));
                }

                await CommitAsync(letters, token, cancellationToken);
                if (open == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            foreach (var letter in letters)
            {
                letter.Done = true;
            }
        }

        await Task.WhenAll(calls);
    }

    /// <summary>One letter's mailer calls, a recipient at a time; every answer is written for the commits, the last one final.</summary>
    private async Task MailAsync(SendingLetter letter, ChannelWriter<Answer> answers, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var mailing = letter.Mailing!;
        try
        {
            foreach (var recipient in mailing.Recipients)
            {
                if (letter.Done)
                {
                    // Recorded already (refused, or its claim lost): nobody else is written to.
                    answers.TryWrite(new Answer(letter, null, Final: true));
                    return;
                }

                var message = new Letter(letter.Id, letter.Kind, mailing.Slug, recipient, mailing.Locale, mailing.Args.DeepClone().AsObject());
                foreach (var decorator in letterDecorators)
                {
                    message = decorator.Decorate(message, mailing.Now);
                }

                var result = await mailer.SendAsync(message, cancellationToken);
                switch (result)
                {
                    case MailResult.Accepted ok:
                        var accepted = new AcceptedRecipient(recipient, EmailAddress.Mask(recipient), ok.ProviderMessageId);
                        answers.TryWrite(new Answer(letter, AcceptedStep(accepted), Final: false) { Accepted = accepted });
                        break;
                    case MailResult.Transient transient:
                        answers.TryWrite(new Answer(letter, RetryOrFail(transient.Error, notBefore: transient.RetryAfter), Final: true));
                        return;
                    case MailResult.Permanent permanent:
                        answers.TryWrite(new Answer(letter, FinishStep(NoticeStatus.Failed, ReasonCodes.MailerRejected, permanent.Error), Final: true));
                        return;
                }
            }

            answers.TryWrite(new Answer(letter, async (n, ct) =>
            {
                await ApplyWhenSentAsync(mailing.Rule, n, ct);
                return await FinishStep(NoticeStatus.Sent, null, null)(n, ct);
            }, Final: true));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the claim is left to its lease.
            answers.TryWrite(new Answer(letter, null, Final: true));
        }
        catch (Exception ex)
        {
            LogUnexpected(ex, letter.Id, letter.Kind);
            answers.TryWrite(new Answer(letter, RetryOrFail(Describe(ex)), Final: true));
        }
    }

    /// <summary>
    /// Commits the steps waiting, of every letter at once. When the database refuses the commit, the
    /// unit of work is read again and each letter's steps are committed alone: a letter whose claim was
    /// lost is left to its new holder, and one whose steps will not save is retried with backoff.
    /// </summary>
    private async Task CommitAsync(IReadOnlyList<SendingLetter> letters, Guid token, CancellationToken cancellationToken)
    {
        // A letter still waiting for the mailer has only its claim's steps to record: they wait for its
        // answer and go in the same commit, rather than costing the letter an update of its own.
        var round = letters.Where(l => !l.Done && l.Unsaved.Count > 0 && (l.Mailing is null || l.Answered)).ToList();
        if (round.Count == 0)
        {
            return;
        }

        try
        {
            await ApplyAsync(round, cancellationToken);
            await ledger.SaveAsync(cancellationToken);
            Saved(round);
            return;
        }
        catch (Exception ex) when (round.Count == 1 && Refused(ex))
        {
            await RefusedAloneAsync(round[0], ex, letters, token, cancellationToken);
            return;
        }
        catch (Exception ex) when (Refused(ex))
        {
            LogSplit(ex, round.Count);
        }

        await ReloadAsync(letters, token, cancellationToken);
        foreach (var letter in round.Where(l => !l.Done))
        {
            try
            {
                await ApplyAsync([letter], cancellationToken);
                await ledger.SaveAsync(cancellationToken);
                Saved([letter]);
            }
            catch (Exception ex) when (Refused(ex))
            {
                await RefusedAloneAsync(letter, ex, letters, token, cancellationToken);
            }
        }
    }

    /// <summary>The database refused a commit (not an outage: that is waited out by the save itself).</summary>
    private static bool Refused(Exception ex) => ex is not OperationCanceledException && !DatabaseFaults.IsUnavailable(ex);

    /// <summary>One letter's steps would not save: its claim was lost (someone else holds it now), or it is retried with backoff.</summary>
    private async Task RefusedAloneAsync(SendingLetter letter, Exception refusal, IReadOnlyList<SendingLetter> letters, Guid token, CancellationToken cancellationToken)
    {
        await ReloadAsync(letters, token, cancellationToken);
        if (letter.Done)
        {
            return;
        }

        // Whatever went wrong with this letter stays with this letter: it is retried with
        // backoff and, past MaxAttempts, ends failed — it never stops the others. The recipients the
        // mailer accepted are recorded first, so the retry writes to none of them again; if even
        // that will not save, the retry is recorded alone.
        LogUnexpected(refusal, letter.Id, letter.Kind);
        var unrecorded = letter.Accepted.Where(a => !letter.Notice.SentTo.Contains(a.Recipient, StringComparer.OrdinalIgnoreCase)).ToList();
        List<List<LetterStep>> fallbacks = unrecorded.Count == 0
            ? [[RetryOrFail(Describe(refusal))]]
            : [[.. unrecorded.Select(AcceptedStep), RetryOrFail(Describe(refusal))], [RetryOrFail(Describe(refusal))]];
        foreach (var steps in fallbacks)
        {
            letter.Unsaved.Clear();
            letter.Unsaved.AddRange(steps);
            try
            {
                await ApplyAsync([letter], cancellationToken);
                await ledger.SaveAsync(cancellationToken);
                Saved([letter]);
                return;
            }
            catch (Exception ex) when (Refused(ex))
            {
                refusal = ex;
                await ReloadAsync(letters, token, cancellationToken);
                if (letter.Done)
                {
                    return;
                }
            }
        }

        // Not even that would save: the claim is left to its lease, and the others go on.
        LogLeftToLease(refusal, letter.Id, letter.Kind);
        letter.Done = true;
    }

    /// <summary>A recipient the mailer accepted, as a step: the notice's sent-to list, its timeline and a delivery to follow.</summary>
    private LetterStep AcceptedStep(AcceptedRecipient accepted) => (n, _) =>
    {
        ledger.Accepted(n, accepted.Recipient, accepted.Masked, accepted.ProviderMessageId);
        return Task.FromResult<SendOutcome?>(null);
    };

    /// <summary>Empties the unit of work and reads again the letters still under way; one whose claim is no longer this batch's is lost.</summary>
    private async Task ReloadAsync(IReadOnlyList<SendingLetter> letters, Guid token, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var live = letters.Where(l => !l.Done).ToList();
        var ids = live.Select(l => l.Id).ToList();
        var fresh = await ledger.OutlastingOutagesAsync(ct => db.Notices.Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id, ct), cancellationToken);
        foreach (var letter in live)
        {
            if (fresh.TryGetValue(letter.Id, out var notice) && notice.Status == NoticeStatus.Sending && notice.LeaseToken == token)
            {
                letter.Notice = notice;
            }
            else
            {
                letter.Done = true;
                LogLeaseLost(letter.Id, letter.Kind);
            }
        }
    }

    private static async Task ApplyAsync(IReadOnlyList<SendingLetter> round, CancellationToken cancellationToken)
    {
        foreach (var letter in round)
        {
            letter.Applied = null;
            foreach (var step in letter.Unsaved)
            {
                letter.Applied = await step(letter.Notice, cancellationToken) ?? letter.Applied;
            }
        }
    }

    /// <summary>A round's steps are committed: each letter's outcome is kept and logged (only now, so the log never tells of an outcome the database does not hold).</summary>
    private void Saved(IReadOnlyList<SendingLetter> round)
    {
        foreach (var letter in round)
        {
            letter.Unsaved.Clear();
            if (letter.Applied is { } outcome)
            {
                letter.Outcome = outcome;
                letter.Done = true;
                var notice = letter.Notice;
                switch (outcome)
                {
                    case SendOutcome.Held:
                        LogHeld(notice.Id, notice.Kind, notice.SendAt);
                        break;
                    case SendOutcome.RetryScheduled:
                        LogRetry(notice.Id, notice.Kind, notice.Attempts, notice.SendAt, EmailAddress.MaskAll(notice.Reason ?? ""));
                        break;
                    default:
                        LogFinished(notice.Id, notice.Kind, notice.Status, notice.ReasonCode);
                        break;
                }

                if (outcome == SendOutcome.Sent)
                {
                    ledger.CountSent(letter.Notice);
                }
            }
        }
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

    /// <summary>An error in the words of its cause (a database's refusal says why in its inner exception).</summary>
    private static string Describe(Exception ex)
    {
        var cause = ex.GetBaseException();
        return $"{cause.GetType().Name}: {cause.Message}";
    }

    /// <summary>The checks of a letter went wrong: only its claim's step is kept, and it is retried with backoff.</summary>
    private void Unexpected(SendingLetter letter, Exception ex)
    {
        LogUnexpected(ex, letter.Id, letter.Kind);
        letter.Unsaved.RemoveRange(1, letter.Unsaved.Count - 1);
        End(letter, RetryOrFail(Describe(ex)));
    }

    private void Finish(SendingLetter letter, NoticeStatus status, string? reasonCode, string? reason) =>
        End(letter, FinishStep(status, reasonCode, reason));

    /// <summary>A letter's checks end it here (it does not go to the mailer) with <paramref name="step"/>.</summary>
    private static void End(SendingLetter letter, LetterStep step)
    {
        letter.Unsaved.Add(step);
        letter.Ended = true;
    }

    private LetterStep RetryOrFail(string error, string finalReasonCode = ReasonCodes.MailerFailed, TimeSpan? notBefore = null) => (notice, cancellationToken) =>
    {
        if (notice.Attempts >= options.Value.MaxAttempts)
        {
            return FinishStep(NoticeStatus.Failed, finalReasonCode, $"gave up after {notice.Attempts} attempts; last error: {error}")(notice, cancellationToken);
        }

        // The mailer's Retry-After, when it gave one longer than the backoff, is honoured.
        var backoff = options.Value.BackoffAfter(notice.Attempts);
        var next = time.GetUtcNow() + (notBefore is { } wait && wait > backoff ? wait : backoff);
        ledger.Retry(notice, ReasonCodes.RetryScheduled, error, next);
        return Task.FromResult<SendOutcome?>(SendOutcome.RetryScheduled);
    };

    private LetterStep FinishStep(NoticeStatus status, string? reasonCode, string? reason) => (notice, _) =>
    {
        ledger.Finish(notice, status, reasonCode, reason, catalog.Find(notice.Kind)?.SecretArguments ?? NoSecrets);
        return Task.FromResult<SendOutcome?>(status switch
        {
            NoticeStatus.Sent => SendOutcome.Sent,
            NoticeStatus.Shadowed => SendOutcome.Shadowed,
            NoticeStatus.Rejected => SendOutcome.Rejected,
            _ => SendOutcome.Failed,
        });
    };

    /// <summary>A claimed letter on its way through the send path: its row, its steps not committed yet, what it sends.</summary>
    private sealed class SendingLetter(Notice notice)
    {
        public long Id { get; } = notice.Id;

        public string Kind { get; } = notice.Kind;

        /// <summary>Its row in the unit of work (read again after a refused commit).</summary>
        public Notice Notice { get; set; } = notice;

        /// <summary>Steps not committed yet, in order; touched by the committing loop only.</summary>
        public List<LetterStep> Unsaved { get; } = [];

        public Mailing? Mailing { get; set; }

        /// <summary>Its checks ended it (a final step is among <see cref="Unsaved"/>): it does not go to the mailer.</summary>
        public bool Ended { get; set; }

        /// <summary>The recipients the mailer accepted, in order; touched by the committing loop only.</summary>
        public List<AcceptedRecipient> Accepted { get; } = [];

        /// <summary>A mailer's answer for it has come (its steps are among <see cref="Unsaved"/>): it has something to record.</summary>
        public bool Answered { get; set; }

        /// <summary>The outcome among the steps applied in the commit under way.</summary>
        public SendOutcome? Applied { get; set; }

        /// <summary>The outcome, once committed.</summary>
        public SendOutcome? Outcome { get; set; }

        /// <summary>Its outcome is committed, or its claim is no longer this batch's (or left to its lease): nothing more is recorded, nor sent.</summary>
        public volatile bool Done;
    }

    /// <summary>What a letter that passed its checks sends, and to whom.</summary>
    private sealed record Candidate(NoticeRule Rule, string Slug, string Locale, JsonObject MailerArgs, IReadOnlyList<string> Recipients);

    private sealed record Mailing(NoticeRule Rule, string Slug, string Locale, JsonObject Args, IReadOnlyList<string> Recipients, DateTimeOffset Now);

    /// <summary>A mailer's answer for a letter, as a step to commit (none: nothing to record), and whether it is the letter's last.</summary>
    private sealed record Answer(SendingLetter Letter, LetterStep? Step, bool Final)
    {
        /// <summary>The recipient the mailer accepted, when that is the answer.</summary>
        public AcceptedRecipient? Accepted { get; init; }
    }

    private sealed record AcceptedRecipient(string Recipient, string Masked, string? ProviderMessageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} claimed letters: the database went away during their send-time checks; claims handed back once it returned: {HandedBack}")]
    private partial void LogHandedBack(int count, int handedBack);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Claimed {Claimed} of {Asked} letters as one batch")]
    private partial void LogClaimed(int claimed, int asked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A commit of {Count} letters' steps was refused; each letter's steps are committed alone")]
    private partial void LogSplit(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notice {NoticeId} ({Kind}): its steps could not be recorded; the claim is left to its lease")]
    private partial void LogLeftToLease(Exception exception, long noticeId, string kind);

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
