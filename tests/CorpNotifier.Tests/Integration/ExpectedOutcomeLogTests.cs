using CorpNotifier.Contracts;
using Microsoft.Extensions.Logging;

namespace CorpNotifier.Tests.Integration;

/// <summary>Expected outcomes — a repeated activation, a repeated event — are not errors in the log.</summary>
public sealed class ExpectedOutcomeLogTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task A_repeated_activation_and_a_repeated_event_log_no_error_and_no_stack_trace()
    {
        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));
        var active = new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["taxi"] };
        var first = _host.Events.Contract("client-1", new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] }, active);
        await _host.PostAndWaitAsync(first);
        await _host.PostAndWaitAsync(_host.Events.Contract("client-1", new ContractState { PaymentType = PaymentTypes.Postpaid, Services = ["taxi"] }, active));
        await _host.PostAndWaitAsync(first);

        var activations = (await _host.NoticesAsync("client-1")).Where(n => n.Kind == "ActivateClientNotice").ToList();
        activations.Count.ShouldBe(1);
        await Eventually.MatchAsync(() => _host.NoticesAsync("client-1"), n => n.Any(x => x.Kind == "ActivateClientNotice" && x.Status == NoticeStatus.Sent), "the activation letter to be sent");

        var bad = _host.Logs.Entries.Where(e => e.Level >= LogLevel.Warning || e.Exception is not null).ToList();
        bad.ShouldBeEmpty(string.Join("\n", bad.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
    }
}
