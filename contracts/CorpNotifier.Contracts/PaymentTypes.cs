namespace CorpNotifier.Contracts;

/// <summary>The values <see cref="ContractState.PaymentType"/> takes.</summary>
public static class PaymentTypes
{
    /// <summary>The client pays in advance and spends a balance.</summary>
    public const string Prepaid = "prepaid";

    /// <summary>The client is invoiced after the services were used.</summary>
    public const string Postpaid = "postpaid";
}
