using CorpNotifier.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CorpNotifier.Tests.Integration;

/// <summary>
/// Events travel on one queue per type, so an event can arrive before its client's profile. Every
/// event type waits for the profile alike (a few in-process retries), so letters find their
/// recipients and name the client.
/// </summary>
public sealed class WaitForClientTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly MeterProbe _meter;

    public WaitForClientTests()
    {
        _meter = new MeterProbe(_host);
    }

    public void Dispose()
    {
        _meter.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task An_activation_that_arrives_before_the_profile_waits_for_it_and_names_the_client()
    {
        var activation = _host.Events.Contract("client-1", null, new ContractState { PaymentType = PaymentTypes.Postpaid, IsActive = true, Services = ["taxi"] });
        await PostAsync(activation);
        await _meter.WaitForAsync("corp_notifier.events.waits", 1, ("type", nameof(ContractChanged)), ("missing", "client"));

        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));

        var letter = await Eventually.MatchAsync(
            () => _host.NoticesAsync("client-1"),
            notices => notices.Any(n => n.Kind == "ActivateClientNotice" && n.Status == NoticeStatus.Sent),
            "the activation letter to be sent");
        var args = letter.Single(n => n.Kind == "ActivateClientNotice").Args;
        args["client_name"]!.GetValue<string>().ShouldBe("Acme LLC");
        File.ReadAllText(_host.Letters().Single()).ShouldContain("Acme LLC");
    }

    [Fact]
    public async Task An_order_that_arrives_before_the_profile_waits_for_it()
    {
        var order = _host.Events.Order("client-1");
        await PostAsync(order);
        await _meter.WaitForAsync("corp_notifier.events.waits", 1, ("type", nameof(OrderCompleted)), ("missing", "client"));
        (await Processed(order)).ShouldBeFalse();

        await _host.PostAndWaitAsync(_host.Events.Profile("client-1"));
        await Eventually.MatchAsync(() => Processed(order), seen => seen, "the order to be processed once the profile is known");
    }

    private async Task PostAsync(IEvent evt)
    {
        using var response = await _host.PostEventAsync(evt);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
    }

    private Task<bool> Processed(IEvent evt) => _host.WithDbAsync(db => db.Events.AnyAsync(e => e.EventId == evt.EventId));
}
