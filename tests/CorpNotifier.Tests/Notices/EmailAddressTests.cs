
namespace CorpNotifier.Tests.Notices;

/// <summary>No full email address reaches the logs.</summary>
public sealed class EmailAddressTests
{
    [Fact]
    public void An_address_keeps_its_first_letter_and_domain() =>
        EmailAddress.Mask("billing@acme.example").ShouldBe("b***@acme.example");

    [Fact]
    public void Addresses_in_texts_bound_for_logs_are_masked() =>
        EmailAddress.MaskAll("Sender answered 400: invalid email billing@acme.example, cc <a.b@corp.example>")
            .ShouldBe("Sender answered 400: invalid email b***@acme.example, cc <a***@corp.example>");

    [Theory]
    [InlineData("billing@acme.example", true)]
    [InlineData("not-an-address", false)]
    [InlineData("two words@acme.example", false)]
    [InlineData("@acme.example", false)]
    public void Only_well_formed_addresses_are_recipients(string value, bool valid) =>
        EmailAddress.IsValid(value).ShouldBe(valid);
}
