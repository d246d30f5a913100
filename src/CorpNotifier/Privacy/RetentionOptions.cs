using System.ComponentModel.DataAnnotations;
using Quartz;

namespace CorpNotifier.Privacy;

/// <summary>
/// How long personal data in events and letters is kept (section <c>Retention</c>): older events'
/// payloads and letters' addresses, arguments and address-bearing reasons are anonymised by a
/// nightly job, in small batches.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    /// <summary>Days an event's payload and a letter's addresses and arguments are kept; 0 switches the job off.</summary>
    [Range(0, 36500)]
    public int Days { get; set; } = 400;

    /// <summary>When the job runs: a Quartz cron expression in UTC (default 03:30 every night).</summary>
    [Required]
    public string Schedule { get; set; } = "0 30 3 * * ?";

    /// <summary>Rows per statement; each batch is its own short transaction.</summary>
    [Range(10, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>A pause between batches, leaving room to the send path's writes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Pause { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Whether <paramref name="schedule"/> is a Quartz cron expression.</summary>
    public static bool IsCron(string? schedule)
    {
        try
        {
            _ = new CronExpression(schedule ?? "");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsCron(Schedule))
        {
            yield return new ValidationResult($"'{Schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 30 3 * * ?')", [nameof(Schedule)]);
        }
    }
}
