using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CorpNotifier.Hosting;

namespace CorpNotifier.Tests.Integration;

/// <summary>Listens to the service's meter and sums what one host measured (other tests' hosts share the process).</summary>
public sealed class MeterProbe : IDisposable
{
    private readonly ConcurrentBag<(object? Scope, string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly MeterListener _listener = new();
    private readonly TestHost _host;

    public MeterProbe(TestHost host)
    {
        _host = host;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NotifierMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/>'s measurements on this host with all of <paramref name="tags"/>.</summary>
    public double Count(string instrument, params (string Key, string Value)[] tags)
    {
        var scope = _host.Services.GetService(typeof(IMeterFactory));
        return _measurements
            .Where(m => ReferenceEquals(m.Scope, scope) && m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)))
            .Sum(m => m.Value);
    }

    /// <summary>Waits until <paramref name="instrument"/> with <paramref name="tags"/> reached <paramref name="atLeast"/>.</summary>
    public Task WaitForAsync(string instrument, double atLeast, params (string Key, string Value)[] tags) =>
        Eventually.MatchAsync(() => Task.FromResult(Count(instrument, tags)), n => n >= atLeast, $"{instrument} {string.Join(",", tags)} to reach {atLeast}");

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Add((instrument.Meter.Scope, instrument.Name, value, copy));
    }
}
