using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>A trial client signed up.</summary>
public sealed record NewTrialClient : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The trial client.</summary>
    public required string ClientId { get; init; }

    /// <summary>The login the client signs in with.</summary>
    public required string YandexLogin { get; init; }

    /// <summary>The service the trial is for: <c>taxi</c> or <c>cargo</c> (see <see cref="Services"/>).</summary>
    [AllowedValues(Services.Taxi, Services.Cargo)]
    public required string ContractType { get; init; }

    /// <summary>
    /// How the login came about: <c>client_trial</c> (the person already had one) or
    /// <c>register_trial</c> (one was generated; see <see cref="TrialFlows"/>).
    /// </summary>
    [AllowedValues(TrialFlows.ClientTrial, TrialFlows.RegisterTrial)]
    public required string Flow { get; init; }

    /// <summary>
    /// The generated login's password, as a Fernet token: required with <c>register_trial</c>, empty
    /// with <c>client_trial</c>. A secret: decrypted only when the letter is handed to the mailer.
    /// </summary>
    public string? EncryptedPassword { get; init; }

    /// <summary>What the client told about the company when signing up.</summary>
    public required TrialDraft Draft { get; init; }
}

/// <summary>What a trial client told about the company.</summary>
public sealed record TrialDraft
{
    /// <summary>The country, e.g. <c>rus</c>.</summary>
    public required string Country { get; init; }

    /// <summary>The company's name.</summary>
    public required string CompanyName { get; init; }

    /// <summary>The city.</summary>
    public required string City { get; init; }

    /// <summary>Who to talk to.</summary>
    public required RequestContact Contact { get; init; }

    /// <summary>Where the client came from: advertising and UTM tags, in the order given.</summary>
    public IReadOnlyDictionary<string, string> References { get; init; } = new Dictionary<string, string>();
}
