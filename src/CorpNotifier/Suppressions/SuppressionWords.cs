using System.Globalization;
using CorpNotifier.Notices;

namespace CorpNotifier.Suppressions;

/// <summary>Why an entry blocks its address, in words for a letter's timeline and the console (addresses in them masked).</summary>
public static class SuppressionWords
{
    public static string Why(SuppressionRecord entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var letter = entry.NoticeId is { } id ? $" on letter {id.ToString(CultureInfo.InvariantCulture)}" : "";
        var note = string.IsNullOrWhiteSpace(entry.Note) ? "" : $": {EmailAddress.MaskAll(entry.Note)}";
        return entry.Reason switch
        {
            SuppressionReasons.HardBounce => $"hard bounce{letter}{note}",
            SuppressionReasons.Complaint => $"complaint (marked as spam){letter}{note}",
            SuppressionReasons.SoftBounces => $"repeated soft bounces, the last{letter}{note}",
            SuppressionReasons.Operator => $"suppressed by {entry.CreatedBy}{letter}{note}",
            _ => $"{entry.Reason}{letter}{note}",
        };
    }
}
