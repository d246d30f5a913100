namespace CorpNotifier.Contracts;

/// <summary>The services a contract or request is for.</summary>
public static class Services
{
    /// <summary>Corporate taxi.</summary>
    public const string Taxi = "taxi";

    /// <summary>Corporate delivery.</summary>
    public const string Cargo = "cargo";
}

/// <summary>What a self-service request's contract is for.</summary>
public static class RequestContractTypes
{
    /// <summary>Corporate taxi.</summary>
    public const string Taxi = "taxi";

    /// <summary>Corporate delivery.</summary>
    public const string Cargo = "cargo";

    /// <summary>Both.</summary>
    public const string Multi = "multi";
}

/// <summary>A self-service request's statuses.</summary>
public static class ClientRequestStatuses
{
    /// <summary>Waiting for a decision.</summary>
    public const string Pending = "pending";

    /// <summary>Accepted.</summary>
    public const string Accepted = "accepted";

    /// <summary>Rejected.</summary>
    public const string Rejected = "rejected";
}

/// <summary>A sales manager's request's statuses.</summary>
public static class ManagerRequestStatuses
{
    /// <summary>Waiting for a decision.</summary>
    public const string Pending = "pending";

    /// <summary>Being accepted (the client and contract are being created).</summary>
    public const string Accepting = "accepting";

    /// <summary>Accepted.</summary>
    public const string Accepted = "accepted";

    /// <summary>Rejected.</summary>
    public const string Rejected = "rejected";

    /// <summary>Accepting failed.</summary>
    public const string Failed = "failed";
}

/// <summary>How a trial client's login came about.</summary>
public static class TrialFlows
{
    /// <summary>The person already had a login.</summary>
    public const string ClientTrial = "client_trial";

    /// <summary>A login was generated, with a password.</summary>
    public const string RegisterTrial = "register_trial";
}

/// <summary>Kinds of credit threshold.</summary>
public static class ThresholdTypes
{
    /// <summary>A standard threshold.</summary>
    public const string Standard = "standard";

    /// <summary>A quasi-credit threshold.</summary>
    public const string Quasi = "quasi";

    /// <summary>A large quasi-credit threshold.</summary>
    public const string BigQuasi = "big_quasi";
}

/// <summary>What authorises a contract's signer.</summary>
public static class SignerAuthorities
{
    /// <summary>The company's charter.</summary>
    public const string Charter = "charter";

    /// <summary>A power of attorney.</summary>
    public const string PowerOfAttorney = "power_of_attorney";

    /// <summary>An authority agreement.</summary>
    public const string AuthorityAgreement = "authority_agreement";
}
