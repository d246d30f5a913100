using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CorpNotifier.Tests.Integration;

namespace CorpNotifier.Tests.Hosting;

/// <summary>One answer of <c>GET /metrics</c> in Prometheus's text format, read sample by sample.</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text, string? mediaType)
    {
        Text = text;
        MediaType = mediaType;
        Samples = [.. text.Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => SampleLine().Match(l))
            .Where(m => m.Success)
            .Select(m => new Sample(
                m.Groups["name"].Value,
                LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value),
                double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)))];
    }

    public string Text { get; }

    public string? MediaType { get; }

    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>The names of the series (with their <c>_total</c>, <c>_bucket</c>… suffixes), as PromQL names them.</summary>
    public IReadOnlySet<string> Names => Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The samples of <paramref name="name"/> with all of <paramref name="labels"/>.</summary>
    public IEnumerable<Sample> Of(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Key) == l.Value));

    /// <summary>Scrapes <paramref name="host"/> anonymously: 200, or the test fails.</summary>
    public static async Task<PrometheusScrape> GetAsync(TestHost host)
    {
        using var client = host.CreateClient();
        using var response = await client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return new PrometheusScrape(text, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the sampler and the senders run on their own cadence).</summary>
    public static Task<PrometheusScrape> WaitForAsync(TestHost host, Func<PrometheusScrape, bool> done, string what) =>
        Eventually.MatchAsync(() => GetAsync(host), done, what);

    public override string ToString() => Text;

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex LabelPair();
}
