
namespace CorpNotifier.SystemTests;

/// <summary>A process killed in the middle of sending loses nothing: its claims expire and another instance finishes.</summary>
public sealed class CrashRecoveryTests : SystemTest
{
    private const int Letters = 120;
    private const int ConcurrentSends = 4;

    [Fact]
    public async Task A_host_killed_while_dispatching_then_restarted_sends_every_letter()
    {
        var settings = new Dictionary<string, string>
        {
            ["Dispatch:Lease"] = "00:00:03",
            ["Dispatch:ConcurrentSends"] = ConcurrentSends.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Upstreams.SenderLatency = TimeSpan.FromMilliseconds(150);
        var first = await StartServiceAsync(settings, name: "instance-a");
        await DueLetters.SeedAsync(Env, Letters, DateTimeOffset.UtcNow);

        await WaitUntilSentAsync(20, "some letters to be sent before the kill", TimeSpan.FromSeconds(60));
        first.Kill();
        var atKill = await Env.NoticesAsync();
        var inFlight = atKill.Count(n => n.Status == NoticeStatus.Sending);
        atKill.Count(n => n.Status == NoticeStatus.Sent).ShouldBeLessThan(Letters, "the kill came after everything was sent; the test proves nothing");

        await StartServiceAsync(settings, name: "instance-b");
        var notices = await WaitUntilSentAsync(Letters, $"all {Letters} letters to be sent after the restart", TimeSpan.FromSeconds(120));

        notices.Count.ShouldBe(Letters);
        var calls = Upstreams.SenderCalls.ToList();
        calls.Select(c => c.ToEmail).Distinct().Count().ShouldBe(Letters);
        // The documented window: a letter the mailer accepted just before the kill, whose
        // acceptance was not yet committed, may go out once more. Nothing else repeats.
        (calls.Count - Letters).ShouldBeLessThanOrEqualTo(inFlight);
        if (inFlight > 0)
        {
            notices.Count(n => n.Timeline.Any(t => t.Type == TimelineEntryType.LeaseExpired)).ShouldBe(inFlight);
        }
    }
}
