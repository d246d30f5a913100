namespace CorpNotifier.Benchmarks.Report;

/// <summary>One measured figure, with its acceptance target when it has one.</summary>
public sealed record Figure(string Scenario, string Name, string Value, string Target = "", bool? Met = null)
{
    public string Status => Met switch
    {
        true => "met",
        false => "MISSED",
        null => "",
    };
}

/// <summary>What a run measured: the figures, notes on how, longer texts (query plans), and failures.</summary>
public sealed class BenchReport
{
    public List<Figure> Figures { get; } = [];

    /// <summary>How a scenario was run (counts, settings, caveats), one line each.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Verbatim texts with a title, such as the claim's query plan.</summary>
    public List<(string Title, string Text)> Blocks { get; } = [];

    /// <summary>Lost or duplicated letters and scenarios that could not finish: any makes the run fail.</summary>
    public List<string> Failures { get; } = [];

    public void Add(string scenario, string name, string value, string target = "", bool? met = null)
    {
        var figure = new Figure(scenario, name, value, target, met);
        Figures.Add(figure);
        Console.WriteLine($"  {name}: {value}{(target.Length > 0 ? $"   (target {target}: {figure.Status})" : "")}");
    }

    public void Note(string note)
    {
        Notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    public void Fail(string failure)
    {
        Failures.Add(failure);
        Console.WriteLine($"  FAILURE: {failure}");
    }

    /// <summary>The figures as a plain-text table for the console.</summary>
    public string Table()
    {
        string[] header = ["scenario", "figure", "value", "target", "status"];
        var rows = Figures.Select(f => new[] { f.Scenario, f.Name, f.Value, f.Target, f.Status }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();
        return string.Join('\n', new[] { Line(header), string.Join("  ", widths.Select(w => new string('-', w))) }.Concat(rows.Select(Line)));
    }
}
