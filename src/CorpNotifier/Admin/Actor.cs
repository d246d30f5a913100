using System.Security.Claims;
using CorpNotifier.Auth;

namespace CorpNotifier.Admin;

/// <summary>
/// Who acts: the name and role of an API key or of a console session (the two carry the same
/// claims). What each role may do is decided here, once, for the API and the console alike; the
/// endpoints' policies are a second gate in front.
/// </summary>
public sealed record Actor(string Name, string Role)
{
    public static Actor From(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? "unknown", user.FindFirstValue(ClaimTypes.Role) ?? "unknown");

    /// <summary>Cancel, restore, re-send and send notices by hand; replay an error queue.</summary>
    public bool MayOperate => Role is Roles.Operator or Roles.Admin;

    /// <summary>Change settings; purge an error queue.</summary>
    public bool MayAdminister => Role is Roles.Admin;
}
