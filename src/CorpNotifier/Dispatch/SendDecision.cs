using CorpNotifier.Notices;
using CorpNotifier.Rules;

namespace CorpNotifier.Dispatch;

/// <summary>What the send-time checks decided for a notice.</summary>
public abstract record SendDecision
{
    /// <summary>The notice ends here, with a reason (<c>rejected</c>, or <c>failed</c> for an unknown kind).</summary>
    public sealed record Stop(NoticeStatus Status, string ReasonCode, string Reason) : SendDecision;

    /// <summary>Shadow mode: everything but the mailer call.</summary>
    public sealed record Shadow(string Slug, IReadOnlyList<string> Recipients) : SendDecision;

    /// <summary>Hand it to the mailer, once per recipient.</summary>
    public sealed record Send(string Slug, IReadOnlyList<string> Recipients) : SendDecision;

    /// <summary>
    /// The checks every notice goes through at send time, in order (docs/notices.md): a known kind,
    /// enabled, the notice's own checks, a slug for its country, at least one recipient of its
    /// audience (the client's addresses, its own, and the extra recipients for its country).
    /// Pure: the send path and the simulator share it.
    /// </summary>
    public static SendDecision Decide(NoticeRule? rule, EffectiveNoticeSettings settings, SendCheckContext context)
    {
        if (rule is null)
        {
            return new Stop(NoticeStatus.Failed, ReasonCodes.UnknownKind, $"no notice of kind '{context.Kind}' is configured in this version");
        }

        if (!settings.Enabled)
        {
            return new Stop(NoticeStatus.Rejected, ReasonCodes.Disabled, $"{context.Kind} is disabled in its settings");
        }

        var check = rule.CheckBeforeSend(context);
        if (!check.Passed)
        {
            return new Stop(NoticeStatus.Rejected, check.ReasonCode!, check.Message ?? check.ReasonCode!);
        }

        // A client's letter follows the client's country; a staff or manager letter, its request's.
        var country = rule.Audience == Audience.Client ? context.Client?.Country : context.Country ?? context.Client?.Country;
        if (settings.SlugFor(country) is not { } slug)
        {
            return new Stop(NoticeStatus.Rejected, ReasonCodes.NoSlug, $"no mailer slug for country '{country ?? "unknown"}' and no default slug");
        }

        var recipients = (rule.Audience == Audience.Client ? context.Client?.Emails ?? [] : [])
            .Concat(context.Recipients)
            .Concat(settings.ExtraRecipientsFor(country))
            .Where(EmailAddress.IsValid)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (recipients.Count == 0)
        {
            return new Stop(NoticeStatus.Rejected, ReasonCodes.NoRecipient, rule.Audience switch
            {
                Audience.Client => "the client has no email and the notice has no extra recipients",
                Audience.Manager => "no sales manager address (Notices:StaffEmailDomain) and no extra recipients",
                _ => $"the notice has no extra recipients for country '{country ?? "unknown"}' nor default ones",
            });
        }

        return settings.Mode == NoticeMode.Shadow ? new Shadow(slug, recipients) : new Send(slug, recipients);
    }
}
