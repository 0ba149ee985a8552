using Ledgerlight.Banking;
using Xunit;

namespace Ledgerlight.Tests.Banking;

/// <summary>The Banking rules that need no database.</summary>
public class BankingRulesTests
{
    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("NO9386011117947", true)]
    [InlineData("DE89370400440532013001", false)] // one digit off: the check digits catch it
    [InlineData("GB82WEST1234569876543", false)]
    [InlineData("DE8937040044053201300", false)]
    [InlineData("1234", false)]
    public void Iban_check_digits(string iban, bool valid) => Assert.Equal(valid, CreateBankAccountRequest.IsValidIban(iban));

    [Theory]
    [InlineData("BANK_OF_AMERICA", "Bank of America")]
    [InlineData("JPM_CHASE", "JPM Chase")]
    [InlineData("BNP_PARIBAS", "BNP Paribas")]
    [InlineData("BANK2", "BANK2")]
    [InlineData("REVOLUT", "Revolut")]
    public void Provider_display_names(string provider, string name) => Assert.Equal(name, CreateBankAccountRequest.ProviderDisplayName(provider));

    static CreateBankAccountRequest Account(string? bankName, string provider, string? label) =>
        new(Guid.NewGuid(), "Payroll", provider, "USD", "US", new BankLedgerAccountRequest(123_456, label), null, null, null, null, bankName,
            null, null, null, null, null);

    [Theory]
    [InlineData("Chase Business", "JPM_CHASE", "Bank - Chase", "Bank - Chase")] // the label asked for
    [InlineData(" Chase Business ", "JPM_CHASE", null, "Chase Business")]     // else the bank name given
    [InlineData(null, "JPM_CHASE", null, "JPM Chase")]                        // else the bank name the provider gives
    [InlineData(null, "OTHER", " ", "Payroll")]                               // else the account name
    public void Ledger_label_defaults_to_the_bank_name_the_response_shows(string? bankName, string provider, string? label, string expected)
    {
        var request = Account(bankName, provider, label);
        Assert.Equal(expected, request.EffectiveLedgerLabel);
        if (label is null) Assert.Equal(request.EffectiveBankName, request.EffectiveLedgerLabel);
    }

    static CreateBankTransactionRequest L(string? tid, long amount = 1) => new(new DateOnly(2024, 1, 1), amount, "C", null, null, null, tid);

    [Fact]
    public void Plan_keeps_the_first_of_repeated_ids_and_orders_by_transaction_id()
    {
        var plan = BankTransactionRules.Plan([L("b", 1), L(null, 2), L("a", 3), L("b", 4), L(null, 5)]);
        Assert.Equal([3L, 1L, 2L, 5L], plan.Select(p => p.Amount));
        Assert.Equal([2, 0, 1, 4], plan.Select(p => p.Index));
        Assert.Equal(plan.Count, plan.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Batch_limit_is_500()
    {
        var v = new Ledgerlight.Platform.Validation();
        new CreateBankTransactionsRequest(Enumerable.Range(0, 500).Select(i => L($"t{i}")).ToList()).Validate(v);
        Assert.False(v.HasErrors);
        new CreateBankTransactionsRequest(Enumerable.Range(0, 501).Select(i => L($"t{i}")).ToList()).Validate(v);
        Assert.True(v.HasErrors);
    }
}
