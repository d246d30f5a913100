using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>Someone signed up for a trial again with the phone of an existing client.</summary>
public sealed record DuplicateTrialClient : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The existing client.</summary>
    public required string ClientId { get; init; }

    /// <summary>The existing client's login.</summary>
    public required string YandexLogin { get; init; }

    /// <summary>The service signed up for: <c>taxi</c> or <c>cargo</c>.</summary>
    [AllowedValues(Services.Taxi, Services.Cargo)]
    public required string ContractType { get; init; }

    /// <summary>When the existing account was used; empty when it never was.</summary>
    public IReadOnlyList<Attendance> Attendances { get; init; } = [];
}

/// <summary>One account's use.</summary>
public sealed record Attendance
{
    /// <summary>The user id that used it.</summary>
    public required string YandexUid { get; init; }

    /// <summary>First seen, when known.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>Last seen, when known.</summary>
    public DateTimeOffset? LastSeen { get; init; }
}
