namespace CorpNotifier.Messaging;

/// <summary>When a batch of events that is not full waits for more (<c>Messaging:EventBatchWait</c>).</summary>
public enum EventBatchWait
{
    /// <summary>Only while another batch is in the database: an event that finds it idle is processed at once.</summary>
    WhileBusy,

    /// <summary>Always, up to <c>Messaging:EventBatchTimeLimit</c>: fewer, fuller commits at moderate rates.</summary>
    Always,
}
