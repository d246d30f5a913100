namespace CorpNotifier.Dispatch;

/// <summary>Send the notice <paramref name="NoticeId"/> if it is still due and unclaimed. Safe to deliver any number of times.</summary>
public sealed record DispatchNotice(long NoticeId);
