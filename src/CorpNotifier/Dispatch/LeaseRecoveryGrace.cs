namespace CorpNotifier.Dispatch;

/// <summary>
/// When this instance's sweeper may put back claims whose lease ran out: not within one lease of
/// the database becoming usable for it — after an outage it saw (<c>DatabaseAvailability.ReturnedAt</c>),
/// or at its own first sweep, since a process that starts cannot know whether the database just came
/// back from an outage. A holder that is alive gets that lease to record what the mailer accepted.
/// </summary>
public sealed class LeaseRecoveryGrace
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _firstOpenAt;

    /// <summary>
    /// Whether expired claims may be put back now. The first call marks the moment the database was
    /// first usable for this instance (the sweeper calls this only while it is).
    /// </summary>
    public bool HasPassed(DateTimeOffset now, DateTimeOffset? returnedAt, TimeSpan lease)
    {
        DateTimeOffset firstOpenAt;
        lock (_lock)
        {
            firstOpenAt = _firstOpenAt ??= now;
        }

        var since = returnedAt is { } back && back > firstOpenAt ? back : firstOpenAt;
        return now >= since + lease;
    }
}
