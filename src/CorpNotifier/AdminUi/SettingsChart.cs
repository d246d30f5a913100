using System.Globalization;
using System.Net;
using System.Text;
using CorpNotifier.Admin;

namespace CorpNotifier.AdminUi;

/// <summary>One day of the would-send report, every kind (or the one asked for) together.</summary>
public sealed record ShadowReportDay(DateOnly Day, int Shadowed, int Sent, int Rejected, int Failed);

/// <summary>The words of the chart, in the page's language.</summary>
public sealed record ShadowChartText(string Title, string Description, string Shadowed, string Sent);

/// <summary>
/// The would-send report of the settings page: per day, the notices shadow mode kept from the mailer
/// (they would have been sent) beside those really sent, as a bar chart drawn on the server (SVG
/// with classes only: the console's policy allows no inline style and no script).
/// </summary>
public static class SettingsChart
{
    private const int Left = 44;
    private const int Top = 34;
    private const int PlotHeight = 150;
    private const int Slot = 22;
    private const int Bar = 8;

    /// <summary>Every day from <paramref name="from"/> to <paramref name="to"/>, with zeros on days without notices.</summary>
    public static IReadOnlyList<ShadowReportDay> Days(IEnumerable<ShadowReportRow> rows, DateOnly from, DateOnly to)
    {
        var byDay = rows.GroupBy(r => r.Day).ToDictionary(
            g => g.Key,
            g => new ShadowReportDay(g.Key, g.Sum(r => r.Shadowed), g.Sum(r => r.Sent), g.Sum(r => r.Rejected), g.Sum(r => r.Failed)));
        var days = new List<ShadowReportDay>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            days.Add(byDay.GetValueOrDefault(day) ?? new ShadowReportDay(day, 0, 0, 0, 0));
        }

        return days;
    }

    /// <summary>The chart as SVG markup: two bars a day (classes <c>shadowed</c> and <c>sent</c>), each with its figure as a tooltip.</summary>
    public static string Svg(IReadOnlyList<ShadowReportDay> days, ShadowChartText text)
    {
        var width = Left + (days.Count * Slot) + 24;
        var height = Top + PlotHeight + 30;
        var max = Math.Max(1, days.Count == 0 ? 0 : days.Max(d => Math.Max(d.Shadowed, d.Sent)));
        var baseline = Top + PlotHeight;
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{Encode(text.Description)}\">"));
        svg.Append("<title>").Append(Encode(text.Title)).Append("</title>");

        // The legend, then the scale: the top figure and zero.
        svg.Append(Invariant($"<rect class=\"shadowed\" x=\"{Left}\" y=\"6\" width=\"12\" height=\"12\"></rect>"));
        svg.Append(Invariant($"<text x=\"{Left + 16}\" y=\"16\">")).Append(Encode(text.Shadowed)).Append("</text>");
        var second = Left + 32 + (text.Shadowed.Length * 6);
        svg.Append(Invariant($"<rect class=\"sent\" x=\"{second}\" y=\"6\" width=\"12\" height=\"12\"></rect>"));
        svg.Append(Invariant($"<text x=\"{second + 16}\" y=\"16\">")).Append(Encode(text.Sent)).Append("</text>");
        svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{Top + 8}\" text-anchor=\"end\">{max}</text>"));
        svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{baseline}\" text-anchor=\"end\">0</text>"));
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{baseline}\" width=\"{days.Count * Slot}\" height=\"1\"></rect>"));

        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            var x = Left + (i * Slot) + 2;
            AppendBar(svg, "shadowed", x, day.Shadowed, max, $"{Date(day.Day)}: {day.Shadowed} {text.Shadowed}");
            AppendBar(svg, "sent", x + Bar + 1, day.Sent, max, $"{Date(day.Day)}: {day.Sent} {text.Sent}");
            if (i % 5 == 0 || i == days.Count - 1)
            {
                svg.Append(Invariant($"<text x=\"{x}\" y=\"{baseline + 16}\">")).Append(day.Day.ToString("MM-dd", CultureInfo.InvariantCulture)).Append("</text>");
            }
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A bar's height in the plot: at least one pixel for a non-zero figure, none for zero.</summary>
    public static int BarHeight(int value, int max) =>
        value <= 0 ? 0 : Math.Max(1, (int)Math.Round((double)value * PlotHeight / Math.Max(1, max), MidpointRounding.AwayFromZero));

    private static void AppendBar(StringBuilder svg, string cssClass, int x, int value, int max, string title)
    {
        var h = BarHeight(value, max);
        if (h == 0)
        {
            return;
        }

        svg.Append(Invariant($"<rect class=\"{cssClass}\" x=\"{x}\" y=\"{Top + PlotHeight - h}\" width=\"{Bar}\" height=\"{h}\"><title>"))
            .Append(Encode(title))
            .Append("</title></rect>");
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
