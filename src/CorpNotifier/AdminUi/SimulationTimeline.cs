using CorpNotifier.Admin;

namespace CorpNotifier.AdminUi;

/// <summary>One moment of a simulation: a letter created (by an event), or what became of it (sent, cancelled, rejected…).</summary>
public sealed record SimulationStep(DateTimeOffset At, SimulatedLetter Letter, bool Created)
{
    /// <summary>The timeline's mark: <c>good</c> for a letter sent, <c>bad</c> for one refused or failed, else none.</summary>
    public string? Tone => Created ? null : SimulationTimeline.Tone(Letter.Outcome);
}

/// <summary>A simulation's letters as one timeline, in the order things would happen on the virtual clock.</summary>
public static class SimulationTimeline
{
    public static IReadOnlyList<SimulationStep> Build(SimulationResult result)
    {
        var steps = new List<(SimulationStep Step, int Letter, int Order)>();
        for (var i = 0; i < result.Letters.Count; i++)
        {
            var letter = result.Letters[i];
            steps.Add((new SimulationStep(letter.CreatedAt, letter, Created: true), i, 0));
            if (letter.OutcomeAt is { } at)
            {
                steps.Add((new SimulationStep(at, letter, Created: false), i, 1));
            }
        }

        // At one moment: what was created first (in the order the letters were made), then what became of them.
        return [.. steps.OrderBy(s => s.Step.At).ThenBy(s => s.Order).ThenBy(s => s.Letter).Select(s => s.Step)];
    }

    public static string? Tone(string outcome) => outcome switch
    {
        "sent" => "good",
        "rejected" or "failed" => "bad",
        _ => null,
    };
}
