namespace CorpNotifier.Persistence;

/// <summary>
/// A row added to its table in numbers by the send path and the intake (a letter's timeline step, its
/// delivery): <see cref="AppendedRows"/> writes those a save adds in bulk. A later change to such a
/// row is saved as any other.
/// </summary>
public interface IAppendedRow;
