namespace CorpNotifier.Persistence;

/// <summary>
/// An erasure of one client's personal data: the client, every address known to have been theirs
/// (the directory's and the letters' recipients), and who asked for it and why.
/// </summary>
public sealed record ClientErasure(string ClientId, IReadOnlyCollection<string> Addresses, string Actor, string Why, DateTimeOffset At);

/// <summary>
/// One holder of personal data taking part in a client's erasure (suppressions keep a keyed hash of
/// the address, preferences are deleted…). Every holder runs in the erasure's unit of work: it
/// changes the tracked context (or runs statements in its transaction) and does not save.
/// Returns how many rows it changed, for the audit.
/// </summary>
public interface IClientDataEraser
{
    /// <summary>A short name for the audit (<c>suppressions</c>).</summary>
    string Name { get; }

    Task<int> EraseAsync(ClientErasure erasure, CancellationToken cancellationToken);
}

/// <summary>
/// One holder of data about letters taking part in retention (the delivery reports keep each
/// recipient's address). Called for each batch of letters the retention job anonymises, with their
/// ids, before the letters themselves are marked: it changes its rows by statement, each its own
/// short transaction, returns how many it changed, and may be called again for the same letters
/// (a run stopped before the letters were marked).
/// </summary>
public interface ILetterDataRetention
{
    Task<int> AnonymiseAsync(IReadOnlyCollection<long> noticeIds, string removedText, CancellationToken cancellationToken);
}
