using System.Text.RegularExpressions;
using CorpNotifier.Contracts;
using CorpNotifier.Notices;

namespace CorpNotifier.Intake;

/// <summary>An event broke the contract. On the bus it faults to the error queue; over HTTP it is a 400.</summary>
public sealed class InvalidEventException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The event is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>
/// The rules an event must satisfy beyond its JSON shape, shared by every way in (HTTP, raw JSON
/// and typed messages on the bus). Error keys are wire paths, e.g. <c>data.contractId</c>.
/// </summary>
public static partial class EventValidator
{
    public const int MaxIdLength = 128;

    public static IReadOnlyDictionary<string, string[]> Validate(IEvent evt)
    {
        var errors = new Errors();
        Id(errors, "eventId", evt.EventId);
        Id(errors, "clientId", evt.ClientId);
        if (evt.OccurredAt == default)
        {
            errors.Add("occurredAt", "is required");
        }

        switch (evt)
        {
            case ContractChanged e:
                Id(errors, "data.contractId", e.ContractId);
                if (e.ExternalId is { Length: > MaxIdLength })
                {
                    errors.Add("data.externalId", $"must be at most {MaxIdLength} characters");
                }

                State(errors, "data.new", e.New);
                if (e.Old is not null)
                {
                    State(errors, "data.old", e.Old);
                }

                break;
            case BalanceChanged e:
                Id(errors, "data.contractId", e.ContractId);
                if (string.IsNullOrEmpty(e.Currency) || !Currency().IsMatch(e.Currency))
                {
                    errors.Add("data.currency", "must be an ISO 4217 code of three capital letters, e.g. RUB");
                }

                break;
            case OrderCompleted e:
                Id(errors, "data.orderId", e.OrderId);
                Required(errors, "data.service", e.Service);
                break;
            case ClientProfileChanged e:
                Required(errors, "data.name", e.Name);
                if (string.IsNullOrEmpty(e.Country) || !Country().IsMatch(e.Country))
                {
                    errors.Add("data.country", "must be a lower-case ISO 3166 alpha-3 code, e.g. rus");
                }

                Required(errors, "data.locale", e.Locale);
                if (string.IsNullOrWhiteSpace(e.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(e.TimeZone, out _))
                {
                    errors.Add("data.timeZone", "must be an IANA time zone, e.g. Europe/Moscow");
                }

                if (e.Emails is null)
                {
                    errors.Add("data.emails", "must be an array (empty when the client has no address)");
                }
                else
                {
                    for (var i = 0; i < e.Emails.Count; i++)
                    {
                        if (!EmailAddress.IsValid(e.Emails[i]))
                        {
                            errors.Add($"data.emails[{i}]", "is not an email address");
                        }
                    }
                }

                break;
        }

        return errors.Result;
    }

    public static void ThrowIfInvalid(IEvent evt)
    {
        var errors = Validate(evt);
        if (errors.Count > 0)
        {
            throw new InvalidEventException(errors);
        }
    }

    private static void State(Errors errors, string path, ContractState? state)
    {
        if (state is null)
        {
            errors.Add(path, "is required");
            return;
        }

        if (state.PaymentType is not (PaymentTypes.Prepaid or PaymentTypes.Postpaid))
        {
            errors.Add($"{path}.paymentType", "must be prepaid or postpaid");
        }

        if (state.Services is null)
        {
            errors.Add($"{path}.services", "must be an array");
        }
    }

    private static void Id(Errors errors, string path, string? value)
    {
        if (Required(errors, path, value) && value!.Length > MaxIdLength)
        {
            errors.Add(path, $"must be at most {MaxIdLength} characters");
        }
    }

    private static bool Required(Errors errors, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(path, "is required");
            return false;
        }

        return true;
    }

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Currency();

    [GeneratedRegex("^[a-z]{3}$")]
    private static partial Regex Country();

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public void Add(string path, string message)
        {
            if (!_errors.TryGetValue(path, out var list))
            {
                _errors[path] = list = [];
            }

            list.Add(message);
        }

        public IReadOnlyDictionary<string, string[]> Result => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }
}
