namespace CorpNotifier.Mailers;

/// <summary>The mailer circuit's state, as the <c>corp_notifier.mailer.circuit</c> gauge reports it.</summary>
public enum MailerCircuitState
{
    /// <summary>Calls go to the mailer.</summary>
    Closed = 0,

    /// <summary>The break is over: one probe call goes to the mailer, the others are refused until it answers.</summary>
    HalfOpen = 1,

    /// <summary>The mailer is not called until <see cref="MailerCircuit.OpenUntil"/>.</summary>
    Open = 2,
}

/// <summary>What the circuit looks like now: its state, until when it stays open, the failures in a row that opened it and the last one's error.</summary>
public sealed record MailerCircuit(MailerCircuitState State, DateTimeOffset? OpenUntil, int Failures, string? LastError, DateTimeOffset? OpenedAt);

/// <summary>
/// The circuit breaker in front of one instance's mailer: after <c>failures</c> transient failures
/// in a row (a timeout, a 5xx, a refused connection — an answer with <c>Retry-After</c> is the
/// mailer's pacing, not a failure) it opens for <c>breakFor</c>: calls are answered
/// <see cref="MailResult.Transient"/> at once, with the rest of the break as their
/// <c>Retry-After</c>, and never reach the mailer. Then one probe call goes through (half-open):
/// an answer closes the circuit, another failure opens it again. Off when <c>failures</c> is 0.
/// </summary>
public sealed class MailerBreaker(int failures, TimeSpan breakFor)
{
    private readonly object _lock = new();
    private int _failuresInRow;
    private string? _lastError;
    private DateTimeOffset? _openUntil;
    private DateTimeOffset? _openedAt;
    private int _openedAfter;
    private bool _probing;

    public bool Enabled => failures > 0;

    public MailerCircuit State(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_openUntil is not { } until)
            {
                return new MailerCircuit(MailerCircuitState.Closed, null, _failuresInRow, _lastError, null);
            }

            var state = now < until ? MailerCircuitState.Open : MailerCircuitState.HalfOpen;
            return new MailerCircuit(state, until, _openedAfter, _lastError, _openedAt);
        }
    }

    /// <summary>
    /// The answer to a call refused because the circuit is open (or half-open with its probe under
    /// way); null when the call may go to the mailer. Only a call about to be made
    /// (<paramref name="making"/>) takes the half-open circuit's one probe (<paramref name="probe"/>).
    /// </summary>
    public MailResult.Transient? Refuses(DateTimeOffset now, bool making, out bool probe)
    {
        probe = false;
        lock (_lock)
        {
            if (_openUntil is not { } until)
            {
                return null;
            }

            if (now < until)
            {
                return new MailResult.Transient($"mailer circuit open until {until:O} after {_openedAfter} failures in a row", until - now);
            }

            if (_probing)
            {
                return new MailResult.Transient("mailer circuit half-open: a probe call is under way", breakFor);
            }

            _probing = probe = making;
            return null;
        }
    }

    /// <summary>Records what the mailer answered; returns the circuit when this answer opened it.</summary>
    public MailerCircuit? Record(MailResult result, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return null;
        }

        lock (_lock)
        {
            var probe = _probing;
            _probing = false;
            switch (result)
            {
                case MailResult.Transient { RetryAfter: null } failed:
                    _failuresInRow++;
                    _lastError = failed.Error;
                    if (probe || (_openUntil is null && _failuresInRow >= failures))
                    {
                        _openedAfter = _failuresInRow;
                        _openedAt = now;
                        _openUntil = now + breakFor;
                        return new MailerCircuit(MailerCircuitState.Open, _openUntil, _openedAfter, _lastError, _openedAt);
                    }

                    return null;
                case MailResult.Transient:
                    // The mailer's own pacing: it answered, so it is up; neither a failure nor a cure.
                    return null;
                default:
                    _failuresInRow = 0;
                    _openUntil = null;
                    _openedAt = null;
                    _openedAfter = 0;
                    return null;
            }
        }
    }

    /// <summary>The probe call never got its answer (cancelled): the next call may probe.</summary>
    public void Abandoned()
    {
        lock (_lock)
        {
            _probing = false;
        }
    }
}
