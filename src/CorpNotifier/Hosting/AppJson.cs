using System.Text.Json;

namespace CorpNotifier.Hosting;

/// <summary>The service's one JSON shape for what it stores and shows (letters' arguments, audit records): camelCase, as the web API.</summary>
public static class AppJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
