using System.Text;
using CorpNotifier.Rules;

namespace CorpNotifier.Tests.Docs;

/// <summary>
/// docs/notices.md is generated from the rules, so it cannot drift from the code. After changing
/// a notice: <c>UPDATE_DOCS=1 dotnet test --filter NoticesDocTests</c>, then commit the file.
/// </summary>
public sealed class NoticesDocTests
{
    [Fact]
    public void The_notices_document_matches_the_rules()
    {
        var path = Repository.PathTo("docs", "notices.md");
        var generated = Generate(NoticeCatalog.Discover());
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, generated);
        }

        File.ReadAllText(path).ShouldBe(generated, "docs/notices.md drifted from the rules; run UPDATE_DOCS=1 dotnet test --filter NoticesDocTests");
    }

    private static string Generate(NoticeCatalog catalog)
    {
        var doc = new StringBuilder();
        doc.AppendLine("# Notices");
        doc.AppendLine();
        doc.AppendLine("Generated from the rules in `src/CorpNotifier/Rules/` (one file per notice) by");
        doc.AppendLine("`NoticesDocTests`; do not edit by hand. Delays are the defaults; `Notices:{Kind}:Offset` changes them.");
        doc.AppendLine("A delay counts from the event's `occurredAt`, the moment the fact happened at the producer, alike");
        doc.AppendLine("in the service, `POST /api/v1/simulate` and the producers' test kit: a notice is due at");
        doc.AppendLine("`occurredAt` plus its delay, or at once when that moment has passed; a notice without delay is");
        doc.AppendLine("due when its event is processed.");
        doc.AppendLine();
        doc.AppendLine("Window, days and cap are the defaults too (`Notices:{Kind}:Window:*`, `Notices:{Kind}:Cap:*`, or the settings");
        doc.AppendLine("API and console at runtime). A window holds a letter to those local hours of its recipient (the client's time");
        doc.AppendLine("zone; staff letters the staff's), on business days of the recipient's country or on any day; a letter due");
        doc.AppendLine("outside it waits for the next opening. A letter without a delay answers something that just happened and has");
        doc.AppendLine("no window unless an operator sets one.");
        doc.AppendLine();
        doc.AppendLine("The category says what a letter is to its recipient. Mandatory ones (`money`, `access`, `contract`, `requests`)");
        doc.AppendLine("always go out; optional ones (`onboarding`: the take-a-ride nudges; `reminders`: to accept the offer;");
        doc.AppendLine("`trial_follow_ups`: the staff's follow-up of a trial) carry a one-click unsubscribe link, and an address");
        doc.AppendLine("unsubscribed from the category is skipped (`unsubscribed`, see [unsubscribe.md](unsubscribe.md)).");
        doc.AppendLine();
        doc.AppendLine("| notice | audience | category | trigger | delay | window | days | cap | dequeued / rejected by | own send-time checks | template arguments | default slug |");
        doc.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var rule in catalog.Rules.OrderBy(r => Order(r), StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal))
        {
            var arguments = string.Join(", ", rule.Arguments.Select(a => rule.SecretArguments.Contains(a) ? $"`{a}` (secret)" : $"`{a}`"));
            var checks = rule.SendChecks.Count == 0 ? "—" : string.Join(", ", rule.SendChecks.Select(c => $"`{c}`"));
            var window = NoticeSettingsDefaults.DefaultWindow(rule);
            var (hours, days) = window.IsOn
                ? ($"{SettingsText.Time(window.Start)}–{SettingsText.Time(window.End)}", window.Days == WindowDays.BusinessDays ? "business days" : "any day")
                : ("—", "—");
            var cap = NoticeSettingsDefaults.DefaultCap(rule.Kind) is { } c
                ? $"{c.Count} per {SettingsText.Name(c.Per)} per {SettingsText.Period(c.Period)}"
                : "—";
            var category = rule.Category.Mandatory ? $"{rule.Category.Name} (mandatory)" : $"{rule.Category.Name} (optional)";
            doc.AppendLine($"| {rule.Kind} | {CorpNotifier.Hosting.WireName.Of(rule.Audience)} | {category} | {rule.Trigger} | {Delay(rule.DefaultOffset)} | {hours} | {days} | {cap} | {rule.CancelledBy} | {checks} | {arguments} | `{rule.DefaultSlug}` |");
        }

        doc.AppendLine();
        doc.AppendLine("Arguments that hold a producer's code (`contract_type`, `reason`, `offer_contract_type`…) carry it as it came");
        doc.AppendLine("(`taxi`, `debt`, `postpaid`), stored and to the mailer: the mail service's campaigns turn codes into words themselves.");
        doc.AppendLine("Only the manager letters carry Russian display text instead (`status`, `service`, `contract_type`,");
        doc.AppendLine("`signer_duly_authorized`). Where corp-notifier renders a letter itself (SMTP, the file mailer, the console's preview),");
        doc.AppendLine("its templates turn codes into words with the `display_text` filter (`src/CorpNotifier/Templates/display-text/`).");
        doc.AppendLine();
        doc.AppendLine("## Frequency caps");
        doc.AppendLine();
        doc.AppendLine("A cap allows at most N letters of a kind per key within a period; the key is the `client`, the `contract`");
        doc.AppendLine("(the client for a letter about none) or the `recipient` — the letter's own addresses when it has some (a manager's),");
        doc.AppendLine("else its client, whose addresses a client letter goes to (the addresses themselves are only known at send time).");
        doc.AppendLine("Counted are the kind's letters created within the period that are pending, sending, sent or shadowed; dequeued,");
        doc.AppendLine("rejected and failed ones are not. The check runs when an event creates the letter, in the event's transaction under");
        doc.AppendLine("the client's lock, so it holds with any number of instances. A letter over the cap is still created and ends at once");
        doc.AppendLine($"`rejected` with reason code `{ReasonCodes.Capped}` and a timeline entry such as `capped: 1 LowBalanceNotice per contract");
        doc.AppendLine("within 24 h already (notice 123)`; it counts as a rejection in `corp_notifier_letters_total`, the would-send report");
        doc.AppendLine("and the simulation. Letters an operator sends or re-sends are not capped.");
        doc.AppendLine();
        doc.AppendLine("## Checks every notice goes through at send time");
        doc.AppendLine();
        doc.AppendLine("In this order; a notice that fails one is recorded with the reason code and never reaches the mailer.");
        doc.AppendLine();
        doc.AppendLine("| reason code | status | when |");
        doc.AppendLine("| --- | --- | --- |");
        doc.AppendLine($"| `{ReasonCodes.UnknownKind}` | failed | the notice's kind is unknown to this version |");
        doc.AppendLine($"| `{ReasonCodes.Disabled}` | rejected | `Notices:{{Kind}}:Enabled` is false (its notices are still created, so a disabled notice is visible) |");
        doc.AppendLine($"| `{ReasonCodes.NoTaxiService}`, `{ReasonCodes.HasSuccessfulOrder}` | rejected | the notice's own checks (table above) |");
        doc.AppendLine($"| `{ReasonCodes.NoSlug}` | rejected | no mailer slug for the client's country and no `default` slug |");
        doc.AppendLine($"| `{ReasonCodes.NoRecipient}` | rejected | the client has no email and the notice has no extra recipients for the country or `default` |");
        doc.AppendLine();
        doc.AppendLine("Recipients are the client's emails, then the notice's extra recipients for the client's country (else `default`),");
        doc.AppendLine("one mailer call each. In `Shadow` mode a notice passes every check, its letters are not handed to the mailer, and it ends");
        doc.AppendLine("`shadowed` with the recipients and slug it would have used. Secret arguments reach the mailer and are masked");
        doc.AppendLine($"(`***`) in storage once the notice is done. Mailer failures are retried with backoff (`{ReasonCodes.RetryScheduled}`), up to");
        doc.AppendLine($"`Dispatch:MaxAttempts`, then `{ReasonCodes.MailerFailed}`; a refusal (4xx, missing template) is `{ReasonCodes.MailerRejected}` at once.");
        return doc.ToString();
    }

    private static string Order(NoticeRule rule) => rule.GetType().Namespace ?? "";

    private static string Delay(TimeSpan offset) => offset == TimeSpan.Zero
        ? "immediately"
        : offset.TotalDays >= 1 && offset.TotalDays == Math.Floor(offset.TotalDays) ? $"+{offset.TotalDays:0} d" : $"+{offset}";
}
