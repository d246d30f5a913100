using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CorpNotifier.Hosting;

/// <summary>The service's JSON shapes.</summary>
public static class AppJson
{
    /// <summary>What it stores and shows (notices' arguments, audit records): camelCase, as the web API.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The contracts (events, contract states) as they travel and are kept: camelCase, numbers as
    /// JSON numbers, <c>null</c> refused where the contract does not allow it.
    /// </summary>
    public static readonly JsonSerializerOptions Contracts = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
