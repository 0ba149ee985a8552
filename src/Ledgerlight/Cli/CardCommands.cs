using System.CommandLine;
using Ledgerlight.Organization.Companies;
using Ledgerlight.Spend;

namespace Ledgerlight.Cli;

/// <summary>
/// `cards ...`: the sandbox card issuer from the command line. `network-secret` creates (or replaces) the
/// secret the card network signs its messages with; `fund` moves bank money into a balance account;
/// `simulate authorize|capture|void|refund` plays the network, through the same issuer as the signed endpoint;
/// `import FILE` loads a card statement CSV from a real issuer (columns: see <see cref="CardStatementImport"/>).
/// </summary>
public static class CardCommands
{
    static Option<string> CompanyOption() => new("--company") { Required = true, Description = "Company id or name" };

    public static Command Create() => new("cards", "Card issuing sandbox: network secret, funding, simulated card transactions")
    {
        NetworkSecret(), Fund(), Simulate(), Import(),
    };

    static Command NetworkSecret()
    {
        var company = CompanyOption();
        var command = new Command("network-secret", "Create or replace the company's card-network secret; prints it once (base64)") { company };
        command.SetAction(async (parse, _) => await Run(parse, company, async (db, companyId) =>
        {
            var secret = await CardNetworkApi.RotateSecretAsync(db, companyId, DateTime.UtcNow);
            Console.WriteLine(Convert.ToBase64String(secret));
        }));
        return command;
    }

    static Command Fund()
    {
        var company = CompanyOption();
        var account = new Option<Guid>("--account") { Required = true, Description = "Card balance account id" };
        var bank = new Option<Guid>("--bank-account") { Required = true, Description = "Bank account id (same entity and currency)" };
        var amount = new Option<long>("--amount") { Required = true, Description = "Minor units" };
        var date = new Option<string?>("--date") { Description = "Posting date YYYY-MM-DD (default today)" };
        var command = new Command("fund", "Fund a card balance account from a bank account (posts Dr card / Cr bank); prints the balance") { company, account, bank, amount, date };
        command.SetAction(async (parse, _) => await Run(parse, company, async (db, companyId) =>
        {
            var clock = TimeProvider.System;
            var store = new CardBalanceAccountStore(db, new Ledger.PostingEngine(clock), clock);
            var request = new FundCardBalanceAccountRequest(parse.GetValue(bank), parse.GetValue(amount), ParseDate(parse.GetValue(date)), null);
            var v = new Validation();
            request.Validate(v);
            v.ThrowIfAny();
            var principal = new Principal(companyId, Guid.Empty, CredentialKind.ApiKey, Roles.Admin, null, "cli");
            var model = await store.FundAsync(principal, parse.GetValue(account), request)
                        ?? throw new ArgumentException($"card balance account {parse.GetValue(account)} not found");
            Console.WriteLine($"available {model.Balance.Available} {model.Currency}");
        }));
        return command;
    }

    static Command Simulate()
    {
        var company = CompanyOption();
        var card = new Option<Guid?>("--card") { Description = "authorize: the card" };
        var transaction = new Option<Guid?>("--transaction") { Description = "capture, void, refund: the payment's card transaction" };
        var amount = new Option<long?>("--amount") { Description = "Minor units (authorize; refund: default all that is left)" };
        var currency = new Option<string?>("--currency") { Description = "authorize: ISO 4217 (default: the card's)" };
        var merchant = new Option<string?>("--merchant") { Description = "authorize: merchant name" };
        var type = new Argument<string>("type") { Description = "authorize, capture, void or refund" };
        var command = new Command("simulate", "Send a card transaction through the sandbox issuer; prints the resulting card transaction (JSON)")
            { type, company, card, transaction, amount, currency, merchant };
        command.SetAction(async (parse, _) => await Run(parse, company, async (db, companyId) =>
        {
            var kind = parse.GetValue(type)!.ToUpperInvariant() switch
            {
                "AUTHORIZE" => NetworkMessageTypes.Authorization,
                "CAPTURE" => NetworkMessageTypes.Capture,
                "VOID" => NetworkMessageTypes.Void,
                "REFUND" => NetworkMessageTypes.Refund,
                var other => throw new ArgumentException($"unknown type '{other}': use authorize, capture, void or refund"),
            };
            var clock = TimeProvider.System;
            var issuer = new SandboxCardIssuer(db, new CardKeyStore(db, clock), clock);
            var cardId = parse.GetValue(card);
            var cur = parse.GetValue(currency)?.ToUpperInvariant()
                      ?? (kind == NetworkMessageTypes.Authorization && cardId is { } id ? await CardCurrencyAsync(db, companyId, id) : null);
            var message = new NetworkMessage(kind, $"cli-{Guid.NewGuid():N}", cardId, parse.GetValue(transaction), parse.GetValue(amount), cur,
                parse.GetValue(merchant) is { } m ? new NetworkMerchant(m, null, null, null, null) : null, null, null);
            var v = new Validation();
            message.Validate(v);
            v.ThrowIfAny();
            Console.WriteLine(JsonSerializer.Serialize(await issuer.HandleAsync(companyId, message), Json.Options));
        }));
        return command;
    }

    static Command Import()
    {
        var company = CompanyOption();
        var file = new Argument<string>("file") { Description = "The statement CSV" };
        var command = new Command("import",
            "Import a card statement CSV as card transactions, skipping provider ids already imported; all or nothing. Columns: "
            + "provider_transaction_id, card_last_four (or card_id), type (PAYMENT|REFUND), status (AUTHORIZED|CAPTURED|DECLINED|VOIDED|REFUNDED), "
            + "amount (decimal, major units of currency = the card account's), currency, original_amount, original_currency (optional, "
            + "what the merchant charged), merchant, performed_at (ISO 8601). Prints how many rows were read, added and skipped") { file, company };
        command.SetAction(async (parse, _) => await Run(parse, company, async (db, companyId) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path)) throw new ArgumentException($"file '{path}' not found");
            var result = await CardStatementImport.ImportAsync(db, companyId, CardStatementImport.Read(path), DateTime.UtcNow);
            Console.WriteLine($"read {result.Read}, added {result.Added}, skipped {result.Skipped}");
        }));
        return command;
    }

    static async Task<string?> CardCurrencyAsync(NpgsqlDataSource db, Guid companyId, Guid cardId)
    {
        await using var cmd = db.CreateCommand("""
            SELECT trim(b.currency) FROM cards c JOIN card_balance_accounts b ON b.company_id = c.company_id AND b.id = c.card_balance_account_id
             WHERE c.company_id = $1 AND c.id = $2
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = companyId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = cardId });
        return await cmd.ExecuteScalarAsync() as string ?? throw new ArgumentException($"card {cardId} not found");
    }

    static DateOnly? ParseDate(string? raw) =>
        raw is null ? null
        : DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
        : throw new ArgumentException($"--date must be YYYY-MM-DD, got '{raw}'");

    /// <summary>Resolves the company, runs the action; the API's refusals become a one-line error and exit code 2.</summary>
    static Task<int> Run(ParseResult parse, Option<string> company, Func<NpgsqlDataSource, Guid, Task> action) => Commands.WithDatabase(parse, async db =>
    {
        var found = await new CompanyStore(db, TimeProvider.System).FindAsync(parse.GetValue(company)!)
                    ?? throw new ArgumentException($"company '{parse.GetValue(company)}' not found");
        try
        {
            await action(db, found.Id);
        }
        catch (ApiException e)
        {
            var details = string.Join("; ", e.Errors.Select(x => x.Message));
            throw new ArgumentException(details.Length > 0 ? $"{e.Message}: {details}" : e.Message);
        }
    });
}
