using System.ComponentModel.DataAnnotations;

namespace CorpNotifier.Contracts;

/// <summary>A client's self-service request was accepted or rejected.</summary>
public sealed record ClientRequestStatusChanged : IEvent
{
    /// <inheritdoc />
    public required string EventId { get; init; }

    /// <inheritdoc />
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The client the request belongs to.</summary>
    public required string ClientId { get; init; }

    /// <summary>The request's id in the requests service.</summary>
    public required string RequestId { get; init; }

    /// <summary>The status before the change.</summary>
    public required ClientRequestStatus Old { get; init; }

    /// <summary>The status after the change.</summary>
    public required ClientRequestStatus New { get; init; }

    /// <summary>What the contract is for: <c>taxi</c>, <c>cargo</c> or <c>multi</c> (see <see cref="RequestContractTypes"/>).</summary>
    [AllowedValues(RequestContractTypes.Taxi, RequestContractTypes.Cargo, RequestContractTypes.Multi)]
    public required string ContractType { get; init; }

    /// <summary>The company's tax id.</summary>
    public required string CompanyTin { get; init; }

    /// <summary>The login the client signs in with.</summary>
    public required string YandexLogin { get; init; }

    /// <summary>The country of the requested contract, e.g. <c>rus</c>.</summary>
    public required string Country { get; init; }
}

/// <summary>A self-service request's status.</summary>
public sealed record ClientRequestStatus
{
    /// <summary><c>pending</c>, <c>accepted</c> or <c>rejected</c> (see <see cref="ClientRequestStatuses"/>).</summary>
    [AllowedValues(ClientRequestStatuses.Pending, ClientRequestStatuses.Accepted, ClientRequestStatuses.Rejected)]
    public required string Status { get; init; }

    /// <summary>Why it was rejected, for the client to read; with <c>rejected</c> only.</summary>
    public string? RejectReason { get; init; }
}
