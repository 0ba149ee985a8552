using Ledgerlight.Ledger;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Platform;
using Xunit;

namespace Ledgerlight.Tests.Ledger;

/// <summary>Journal entry lifecycle and posting lines, without a database.</summary>
public sealed class JournalEntryRulesTests
{
    static readonly Guid Expense = Guid.NewGuid(), Bank = Guid.NewGuid(), InputVat = Guid.NewGuid(), OutputVat = Guid.NewGuid(), TaxCode = Guid.NewGuid();

    static JournalEntryLineRow Line(int position, string sign, long net, long tax, Guid account, Guid? taxId = null) => new()
    {
        Id = Guid.NewGuid(), Position = position, DcSign = sign, NetAmount = net, TaxAmount = tax, GrossAmount = net + tax,
        LedgerAccountId = account, LedgerTaxId = taxId,
    };

    [Fact]
    public void Only_a_draft_is_edited_or_posted_and_archiving_works_from_draft_and_posted()
    {
        var m = JournalEntryLifecycle.Machine;
        Assert.Equal(JournalEntryStatus.Posted, m.Next(JournalEntryStatus.Draft, JournalEntryAction.Post));
        Assert.Equal(JournalEntryStatus.Archived, m.Next(JournalEntryStatus.Posted, JournalEntryAction.Archive));
        Assert.Equal(JournalEntryStatus.Archived, m.Next(JournalEntryStatus.Draft, JournalEntryAction.Archive));
        Assert.Equal(409, Assert.Throws<ApiException>(() => m.Ensure(JournalEntryStatus.Posted, JournalEntryAction.Edit)).Status);
        Assert.Equal(409, Assert.Throws<ApiException>(() => m.Next(JournalEntryStatus.Archived, JournalEntryAction.Archive)).Status);
        Assert.Equal(409, Assert.Throws<ApiException>(() => m.Next(JournalEntryStatus.Posted, JournalEntryAction.Post)).Status);
    }

    [Fact]
    public void Tax_goes_on_the_line_side_to_input_tax_for_debits_and_output_tax_for_credits()
    {
        var lines = new List<JournalEntryLineRow>
        {
            Line(0, DcSign.Debit, 10000, 2000, Expense, TaxCode),
            Line(1, DcSign.Credit, 12000, 0, Bank),
        };
        var accounts = new Dictionary<(string, Guid?), Guid>
        {
            [JournalEntryPosting.TaxAccountKey(DcSign.Debit, TaxCode)] = InputVat,
            [JournalEntryPosting.TaxAccountKey(DcSign.Credit, TaxCode)] = OutputVat,
        };
        var posting = JournalEntryPosting.Lines(lines, accounts);
        Assert.Equal(3, posting.Count);
        Assert.Equal((Expense, DcSign.Debit, 10000L), (posting[0].AccountId, posting[0].DcSign, posting[0].Amount));
        Assert.Equal((InputVat, DcSign.Debit, 2000L), (posting[1].AccountId, posting[1].DcSign, posting[1].Amount));
        Assert.Equal((Bank, DcSign.Credit, 12000L), (posting[2].AccountId, posting[2].DcSign, posting[2].Amount));
        Assert.Equal(posting.Where(p => p.DcSign == DcSign.Debit).Sum(p => p.Amount), posting.Where(p => p.DcSign == DcSign.Credit).Sum(p => p.Amount));
        Assert.Equal(("OUTPUT_TAX", (Guid?)TaxCode), JournalEntryPosting.TaxAccountKey(DcSign.Credit, TaxCode));
    }
}
