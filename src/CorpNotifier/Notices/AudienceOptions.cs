using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Notices;

/// <summary>
/// <c>Notices:StaffEmailDomain</c>: the domain of the staff's addresses, so a sales manager's
/// letter goes to <c>{login}@{domain}</c>. Without it, manager letters go to their extra recipients only.
/// </summary>
public sealed class AudienceOptions
{
    public const string Key = "StaffEmailDomain";

    [RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$", ErrorMessage = "must be a domain name, e.g. corp.example")]
    public string? StaffEmailDomain { get; set; }
}
