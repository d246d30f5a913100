using System.Diagnostics.Metrics;
using CorpNotifier.Hosting;

namespace CorpNotifier.Deliveries;

/// <summary>
/// The delivery reports' instruments, on the service's meter (<see cref="NotifierMetrics.MeterName"/>):
/// <c>corp_notifier.deliveries</c> by outcome (Prometheus: <c>corp_notifier_deliveries_total{outcome}</c>),
/// reports for no known letter by source, and webhook calls refused by reason.
/// </summary>
public sealed class DeliveryMetrics
{
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _unknown;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _unparsed;

    public DeliveryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(NotifierMetrics.MeterName);
        _deliveries = meter.CreateCounter<long>("corp_notifier.deliveries", "{report}", "Delivery reports recorded for a letter, by outcome (delivered, deferred, soft_bounce, hard_bounce, complained) and source (webhook, dsn)");
        _unknown = meter.CreateCounter<long>("corp_notifier.deliveries.unknown", "{report}", "Delivery reports for a message id no letter has, ignored, by source");
        _refused = meter.CreateCounter<long>("corp_notifier.deliveries.refused", "{request}", "Delivery webhook calls refused, by reason (unsigned, bad_signature, too_old, no_secret)");
        _unparsed = meter.CreateCounter<long>("corp_notifier.deliveries.unparsed", "{message}", "Messages of the bounce mailbox that are no readable delivery status notification, kept for inspection");
    }

    public void Recorded(DeliveryOutcome outcome, string source) =>
        _deliveries.Add(1, new("outcome", WireName.Of(outcome)), new("source", source));

    public void Unknown(string source) => _unknown.Add(1, new KeyValuePair<string, object?>("source", source));

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Unparsed() => _unparsed.Add(1);
}
