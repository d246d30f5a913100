using CorpNotifier.Contracts;
using CorpNotifier.Testing;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Billing.Tests;

// The producer's code under test: it publishes a BalanceChanged when a ledger entry moves a balance.
public sealed class BalancePublisher(IPublishEndpoint publishEndpoint)
{
    public Task BalanceChangedAsync(long ledgerEntryId, string clientId, string contractId, decimal oldBalance, decimal newBalance, CancellationToken cancellationToken) =>
        publishEndpoint.Publish(new BalanceChanged
        {
            EventId = $"billing-balance-{ledgerEntryId}",
            OccurredAt = DateTimeOffset.UtcNow,
            ClientId = clientId,
            ContractId = contractId,
            OldBalance = oldBalance,
            NewBalance = newBalance,
            Currency = "RUB",
        }, cancellationToken);
}

public sealed class BalancePublisherTests
{
    [Fact]
    public async Task Publishes_balance_changes_corp_notifier_accepts()
    {
        await using var provider = new ServiceCollection()
            .AddScoped<BalancePublisher>()
            .AddMassTransitTestHarness()
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();

        using (var scope = provider.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<BalancePublisher>()
                .BalanceChangedAsync(981, "client-42", "contract-7", 150m, 5m, CancellationToken.None);
        }

        Assert.True(await harness.Published.Any<BalanceChanged>());
        foreach (var published in harness.Published.Select<BalanceChanged>())
        {
            // Throws with corp-notifier's own message (the one its error queue would show) if it would refuse the event.
            EventValidation.EnsureValid(published.Context.Message);
        }
    }

    [Fact]
    public async Task A_balance_drop_below_the_limit_tells_the_client_at_once_and_reminds_three_days_later()
    {
        await using var provider = new ServiceCollection()
            .AddScoped<BalancePublisher>()
            .AddMassTransitTestHarness()
            .BuildServiceProvider(validateScopes: true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        using (var scope = provider.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<BalancePublisher>()
                .BalanceChangedAsync(983, "client-42", "contract-7", 150m, -5m, CancellationToken.None);
        }

        var drop = harness.Published.Select<BalanceChanged>().Single().Context.Message;

        // corp-notifier's own rules and send-time checks, run in this process on a virtual clock.
        var prediction = await LetterPrediction.PredictAsync(
            new PredictionClient { Name = "Acme LLC", Country = "rus", Emails = ["finance@acme.example"] },
            new PredictionContract("contract-7", new ContractState
            {
                PaymentType = PaymentTypes.Prepaid,
                IsActive = true,
                Services = ["taxi"],
                DeactivateThreshold = 0m,
            }),
            [drop]);

        var notice = prediction.Single("LimitIsOverNotice");
        Assert.Equal(PredictedOutcome.Sent, notice.Outcome);
        Assert.Equal(drop.OccurredAt, notice.SendAt);
        Assert.Equal(["finance@acme.example"], notice.Recipients);
        var reminder = prediction.Single("LimitIsOverRemindNotice");
        Assert.Equal(PredictedOutcome.Sent, reminder.Outcome);
        // Three days later, moved into its send window: 09:00–19:00 Moscow time on a Russian business day.
        Assert.True(reminder.SendAt >= drop.OccurredAt.AddDays(3));
        var local = TimeZoneInfo.ConvertTime(reminder.SendAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(9), TimeSpan.FromHours(19));
    }

    [Fact]
    public void Names_every_fault_corp_notifier_would_refuse()
    {
        var errors = EventValidation.Validate(new BalanceChanged
        {
            EventId = "billing-balance-982",
            OccurredAt = DateTimeOffset.UtcNow,
            ClientId = "client-42",
            ContractId = "",
            OldBalance = 5m,
            NewBalance = 2m,
            Currency = "rub",
        });

        Assert.Equal(
            [
                "data.contractId: must not be blank and must not contain control characters",
                "data.currency: must be an ISO 4217 code of three capital letters, e.g. RUB",
            ],
            errors.Order());
    }
}
