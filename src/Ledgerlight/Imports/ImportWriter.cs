using Ledgerlight.Banking;
using Ledgerlight.Ledger.JournalEntries;
using Ledgerlight.Payables.InvoicePayables;
using Ledgerlight.Payables.Vendors;
using Ledgerlight.Receivables.Customers;
using Ledgerlight.Receivables.Invoices;
using Ledgerlight.Receivables.Products;

namespace Ledgerlight.Imports;

/// <summary>
/// Writes planned records through the areas' own stores, inside the import's one transaction, and records each
/// source key in import_keys. Open bills and invoices are real documents, created and posted as the API would
/// (Dr opening-balance equity / Cr AP for a bill, Dr AR / Cr opening-balance equity for an invoice), so payments
/// settle them later as any other. The opening entry is a journal entry posted through the journal-entry path;
/// its AR and AP lines go to opening-balance equity instead, because the open documents carry AR and AP: once
/// both are imported, the equity account nets to zero and the trial balance is the source's.
/// </summary>
public sealed class ImportWriter(NpgsqlDataSource db, TimeProvider clock, Principal principal, ImportContext cx, DateOnly openingDate)
{
    readonly PostingEngine _engine = new(clock);
    DateTime Now => clock.GetUtcNow().UtcDateTime;
    const string EquityLabel = "Opening balance equity";

    /// <summary>Writes a file's new records in order, reporting each one (bank lines per batch) to <paramref name="advance"/>.</summary>
    public async Task WriteFileAsync(NpgsqlConnection conn, NpgsqlTransaction tx, FilePlan plan, Guid? bankAccountId, Action<int> advance)
    {
        if (plan.File.Kind == ImportKind.BankStatement)
        {
            await BankAsync(conn, tx, plan.New.Cast<BankLineRecord>().ToList(), bankAccountId!.Value, advance);
            return;
        }
        foreach (var record in plan.New)
        {
            await WriteAsync(conn, tx, plan.File.Kind, record);
            advance(1);
        }
    }

    async Task WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ImportKind kind, ImportRecord record)
    {
        var id = (kind, record) switch
        {
            (_, AccountRecord a) => await AccountAsync(conn, tx, a),
            (_, VendorRecord v) => cx.Vendors[v.Key] = (await new VendorStore(db, clock).CreateAsync(conn, tx, cx.CompanyId, null, v.Request)).Id,
            (_, CustomerRecord c) => cx.Customers[c.Key] = (await new CustomerStore(db, clock).CreateAsync(conn, tx, cx.CompanyId, c.Request)).Id,
            (_, ProductRecord p) => await ProductAsync(conn, tx, p),
            (_, OpeningBalancesRecord o) => await OpeningAsync(conn, tx, o),
            (ImportKind.Bills, OpenItemRecord i) => await BillAsync(conn, tx, i),
            (ImportKind.Invoices, OpenItemRecord i) => await InvoiceAsync(conn, tx, i),
            _ => throw new ArgumentOutOfRangeException(nameof(record)),
        };
        var key = kind == ImportKind.Bills ? ImportPlanner.BillKey((OpenItemRecord)record) : record.Key;
        await ImportContext.RecordKeyAsync(conn, tx, cx, ImportFormats.NameOf(kind), key, id, Now);
    }

    async Task<Guid> AccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, AccountRecord a)
    {
        if (cx.ControlAccountFor(a.Type) is { } control)
        {
            // The chart's own AR or AP: the source's code (recorded by the caller) and name become its aliases.
            if (!cx.HasKey("account-labels", ImportValues.NameKey(a.Name)))
                await ImportContext.RecordKeyAsync(conn, tx, cx, "account-labels", ImportValues.NameKey(a.Name), control, Now);
            return control;
        }
        var id = await new LedgerAccountChartStore(db, clock).CreateAsync(conn, tx, cx.CompanyId,
            new CreateLedgerAccountRequest(a.Code, a.Name, a.Type, a.Description is { Length: <= 255 } d ? d : null, null, null));
        cx.AddAccount(a.Code, a.Name, id);
        return id;
    }

    Guid AccountId(string reference) => cx.AccountsByCode[cx.ResolveAccount(reference)!.Value];

    async Task<Guid> ProductAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ProductRecord p)
    {
        var request = new ProductRequest(p.Name, "FIXED", "ONE_TIME", p.Price is { } price ? [new ProductPricing(cx.Currency, price)] : null, null, null,
            p.IncomeAccount is { } account ? AccountId(account) : null, null);
        return cx.Products[ImportValues.NameKey(p.Name)] = (await new ProductStore(db, clock).CreateAsync(conn, tx, cx.CompanyId, request)).Id;
    }

    async Task<Guid> OpeningAsync(NpgsqlConnection conn, NpgsqlTransaction tx, OpeningBalancesRecord o)
    {
        var equity = await EquityAccountAsync(conn, tx);
        var control = new HashSet<Guid?> { cx.SystemAccounts.GetValueOrDefault("AR"), cx.SystemAccounts.GetValueOrDefault("AP") };
        var lines = o.Lines.Select(l =>
        {
            var account = AccountId(l.Account);
            var description = control.Contains(account) ? $"Opening balance of {l.Account} (carried by the open documents)" : "Opening balance";
            return new JournalEntryLineRequest(new DirectedAmountRequest(Math.Abs(l.Amount), l.Amount > 0 ? DcSign.Debit : DcSign.Credit), null, null,
                description, null, null, control.Contains(account) ? equity : account, null, null, null, null, null);
        }).ToList();
        return await new JournalEntryStore(db, _engine, clock).CreateInTransactionAsync(conn, tx, principal, new CreateJournalEntryRequest(
            cx.EntityId, "PRIMARY", null, "Opening balances (import)", cx.Currency, openingDate, null, null, null, openingDate, false, lines,
            null, null, true, null));
    }

    async Task<Guid> BillAsync(NpgsqlConnection conn, NpgsqlTransaction tx, OpenItemRecord i)
    {
        var equity = await EquityAccountAsync(conn, tx);
        var vendorId = cx.Vendors[ImportValues.NameKey(i.Party)];
        var id = await new BillStore(db, clock).CreateInTransactionAsync(conn, tx, principal, new CreateBillRequest(vendorId, null, cx.Currency, null,
            cx.EntityId, i.Number, $"Open bill {i.Number} (import)", i.Date, i.DueDate, null, null, false,
            [new BillLineRequest(null, i.Amount, null, "Open balance (import)", null, equity, null, null, null, null)], null, null, null));
        await new BillPostingStore(db, _engine, clock).PostInTransactionAsync(conn, tx, cx.CompanyId, id, principal.UserId ?? principal.CredentialId);
        return id;
    }

    async Task<Guid> InvoiceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, OpenItemRecord i)
    {
        var equity = await EquityAccountAsync(conn, tx);
        var product = await OpeningProductAsync(conn, tx);
        var store = new InvoiceStore(db, _engine, clock);
        var id = await store.CreateInTransactionAsync(conn, tx, principal, new InvoiceRequest(cx.EntityId, i.Number, $"Open invoice {i.Number} (import)",
            cx.Currency, null, null, i.Date, i.Date, i.DueDate, cx.Customers[ImportValues.NameKey(i.Party)], null, null, null, null, null, false, null, null,
            [new InvoiceLineRequest(product, 1m, null, equity, null, i.Amount, $"Open balance of invoice {i.Number}", null, null, null, null, null, null, null, null)],
            null));
        var row = await InvoiceStore.Table.LockAsync(conn, tx, cx.CompanyId, id);
        await store.OpenInTransactionAsync(conn, tx, principal, row!);
        return id;
    }

    /// <summary>Statement lines go in batches of the bank API's size; the line key is the transaction id, so a rerun adds none.</summary>
    async Task BankAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<BankLineRecord> lines, Guid bankAccountId, Action<int> advance)
    {
        var store = new BankTransactionStore(db, clock);
        foreach (var batch in lines.Chunk(CreateBankTransactionsRequest.MaxBatch))
        {
            var plan = batch.Select((l, i) => new NewBankTransaction(i, Ids.New(), l.Date, l.Amount, l.DcSign, l.Description, null, l.Reference, l.Key)).ToList();
            await store.InsertAsync(conn, tx, cx.CompanyId, bankAccountId, plan, CancellationToken.None);
            advance(batch.Length);
        }
    }

    /// <summary>
    /// The account opening balances and open documents are booked against: the chart's "Opening balance equity" (QuickBooks
    /// has one by that name, so an imported QuickBooks chart brings it), else one created at the first free code from 3900.
    /// </summary>
    async Task<Guid> EquityAccountAsync(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        if (cx.Keys.TryGetValue(("system", "opening-balance-equity"), out var known)) return known;
        if (cx.ResolveAccount(EquityLabel) is { } code && cx.AccountsByCode[code] != Guid.Empty) return cx.AccountsByCode[code];
        var free = Enumerable.Range(3900, 100_000).First(c => !cx.AccountsByCode.ContainsKey(c));
        var id = await new LedgerAccountChartStore(db, clock).CreateAsync(conn, tx, cx.CompanyId,
            new CreateLedgerAccountRequest(free, EquityLabel, "OTHER_EQUITY", "Counterpart of imported opening balances and open documents", null, null));
        cx.AddAccount(free, EquityLabel, id);
        await ImportContext.RecordKeyAsync(conn, tx, cx, "system", "opening-balance-equity", id, Now);
        return id;
    }

    /// <summary>Sales invoice lines name a product; imported open invoices use one "Opening balance" product, priced per line.</summary>
    async Task<Guid> OpeningProductAsync(NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        if (cx.Keys.TryGetValue(("system", "opening-balance-product"), out var known)) return known;
        var id = (await new ProductStore(db, clock).CreateAsync(conn, tx, cx.CompanyId,
            new ProductRequest("Opening balance (import)", "FIXED", "ONE_TIME", null, null, null, null, null))).Id;
        await ImportContext.RecordKeyAsync(conn, tx, cx, "system", "opening-balance-product", id, Now);
        return id;
    }
}
