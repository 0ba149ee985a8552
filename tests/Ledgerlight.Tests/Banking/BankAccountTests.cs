using System.Text.Json.Nodes;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Banking.BankingHelpers;

namespace Ledgerlight.Tests.Banking;

public class BankAccountTests(ApiServer server) : IClassFixture<ApiServer>
{
    Task<long> BankAccountCount() => server.ScalarAsync("SELECT count(*) FROM bank_accounts WHERE company_id = $1", server.Company.CompanyId);
    Task<long> LedgerAccountCount() => server.ScalarAsync("SELECT count(*) FROM ledger_accounts WHERE company_id = $1", server.Company.CompanyId);

    [Fact]
    public async Task Create_makes_the_bank_account_and_its_ledger_account()
    {
        var code = NewCode();
        var created = (await server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "EUR Operating", bankProvider = "DEUTSCHE_BANK", currency = "EUR",
            bankCountry = "DE", ledgerAccount = new { code, label = "Bank - Deutsche EUR" },
            iban = "de89 3704 0044 0532 0130 00", bic = "deutdeffxxx", bankName = "Deutsche Bank AG", bankCity = "Frankfurt",
            bankAddress = "Taunusanlage 12", bankZipcode = "60325", bankState = "Hessen", defaultChargeBearerCode = "SHAR",
        })).AssertOk();

        var id = created.Id();
        Assert.Equal(server.Company.CompanyId.ToString(), created.Id("companyId"));
        Assert.Equal(server.Company.EntityId.ToString(), created.Id("companyEntityId"));
        Assert.Equal("EUR Operating", created["name"]!.GetValue<string>());
        Assert.Equal("PHYSICAL", created["type"]!.GetValue<string>());
        Assert.Equal("DEUTSCHE_BANK", created["bankProvider"]!.GetValue<string>());
        Assert.Equal("INELIGIBLE", created["paymentSchedulingEligibility"]!.GetValue<string>());
        Assert.Equal("DE89370400440532013000", created["iban"]!.GetValue<string>());
        Assert.Equal("DEUTDEFFXXX", created["bic"]!.GetValue<string>());
        Assert.Equal("EUR", created["currency"]!.GetValue<string>());
        Assert.Equal("DE", created["bankCountry"]!.GetValue<string>());
        Assert.Equal("Deutsche Bank AG", created["bankName"]!.GetValue<string>());
        Assert.Equal("Hessen", created["bankState"]!.GetValue<string>());
        Assert.Equal(code, created["ledgerAccountCode"]!.GetValue<int>());

        var listed = (await server.Admin.GetAsync("/v1/bank-accounts")).AssertOk().AsArray();
        Assert.Equal(created.ToJsonString(), listed.Single(a => a!.Id() == id)!.ToJsonString());

        var ledger = (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{code}")).AssertOk()["records"]!.AsArray().Single()!;
        Assert.Equal("BANK", ledger["type"]!.GetValue<string>());
        Assert.Equal("ACTIVE", ledger["status"]!.GetValue<string>());
        Assert.Equal("Bank - Deutsche EUR", ledger["label"]!.GetValue<string>());
        Assert.Equal(id, ledger.Id("bankAccountId"));
        Assert.True(ledger["revaluateFxBalance"]!.GetValue<bool>()); // EUR account in a USD entity
        Assert.Equal(server.Company.EntityId.ToString(), ledger["companyEntities"]!.AsArray().Single()!.Id());
        Assert.Equal(1, await server.ScalarAsync(
            "SELECT count(*) FROM ledger_accounts WHERE company_id = $1 AND code = $2 AND category = 'ASSET' AND system_role IS NULL",
            server.Company.CompanyId, code));
    }

    [Fact]
    public async Task Bank_name_and_ledger_label_have_sensible_defaults()
    {
        var chase = (await server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, NewCode(), "Payroll"))).AssertOk();
        Assert.Equal("JPM Chase", chase["bankName"]!.GetValue<string>());
        Assert.Equal("JPM Chase", await Label(chase)); // no label given: the bank name the response shows, here the provider's
        Assert.Equal(1, await server.ScalarAsync(
            "SELECT count(*) FROM ledger_accounts WHERE company_id = $1 AND code = $2 AND NOT revaluate_fx_balance",
            server.Company.CompanyId, chase["ledgerAccountCode"]!.GetValue<int>()));

        var other = (await server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, NewCode(), "Petty bank", "OTHER"))).AssertOk();
        Assert.Equal("Petty bank", other["bankName"]!.GetValue<string>());
        Assert.Equal("Petty bank", await Label(other)); // OTHER provider, no bank name: the account's name

        var named = (await server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "Savings", bankProvider = "BANK_OF_AMERICA", currency = "USD",
            bankCountry = "US", bankName = "BofA Business", ledgerAccount = new { code = NewCode() },
            domesticBankAccountNumber = "000123456789", domesticBankCode = "026009593",
        })).AssertOk();
        Assert.Equal("BofA Business", await Label(named));
        Assert.Equal("026009593", named["domesticBankCode"]!.GetValue<string>());
        Assert.Null(named["iban"]);
    }

    async Task<string> Label(JsonNode bankAccount) =>
        (await server.Admin.GetAsync($"/v1/ledger-accounts?filter=code:eq:{bankAccount["ledgerAccountCode"]}")).AssertOk()
        ["records"]![0]!["label"]!.GetValue<string>();

    [Fact]
    public async Task Code_already_in_the_chart_is_409_and_creates_nothing()
    {
        var code = NewCode();
        (await server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, code, "First"))).AssertOk();
        var banks = await BankAccountCount();
        var ledgers = await LedgerAccountCount();

        var error = (await server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, code, "Second")))
            .AssertError(409, "CONFLICT");
        Assert.Equal(["ledgerAccount", "code"], PathOf(error).Select(p => p.ToString()));
        Assert.Equal(banks, await BankAccountCount());
        Assert.Equal(ledgers, await LedgerAccountCount());
        Assert.DoesNotContain((await server.Admin.GetAsync("/v1/bank-accounts")).AssertOk().AsArray(), a => a!["name"]!.GetValue<string>() == "Second");
    }

    [Fact]
    public async Task Concurrent_creations_with_one_code_make_exactly_one_account()
    {
        var code = NewCode();
        var banks = await BankAccountCount();
        var ledgers = await LedgerAccountCount();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, code, $"Racer {i}"))));

        Assert.Single(responses, r => r.Code == 200);
        Assert.All(responses.Where(r => r.Code != 200), r => r.AssertError(409, "CONFLICT"));
        Assert.Equal(banks + 1, await BankAccountCount());
        Assert.Equal(ledgers + 1, await LedgerAccountCount());
    }

    [Fact]
    public async Task Same_code_in_another_company_is_fine()
    {
        var code = NewCode();
        (await server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, code))).AssertOk();
        var other = await server.CreateTenantAsync("Code Twin Ltd", "GBP");
        (await other.Admin.PostAsync("/v1/bank-accounts", AccountRequest(other.EntityId, code))).AssertOk();
    }

    [Fact]
    public async Task Missing_required_fields_are_400_with_every_path()
    {
        var error = (await server.Admin.PostAsync("/v1/bank-accounts", new { iban = (string?)null })).AssertError(400, "BAD_REQUEST");
        foreach (var field in new[] { "bankCountry", "bankProvider", "companyEntityId", "currency", "ledgerAccount", "name" })
            Assert.True(HasErrorAt(error, field), $"no error at {field}: {error}");

        var noCode = (await server.Admin.PostAsync("/v1/bank-accounts", new
        {
            companyEntityId = server.Company.EntityId, name = "No code", bankProvider = "OTHER", currency = "USD", bankCountry = "US",
            ledgerAccount = new { label = "x" },
        })).AssertError(400, "BAD_REQUEST");
        Assert.True(HasErrorAt(noCode, "ledgerAccount", "code"));
    }

    public static TheoryData<string, object[]> BadFields() => new()
    {
        { """{"ledgerAccount":{"code":99999}}""", ["ledgerAccount", "code"] },
        { """{"ledgerAccount":{"code":1000000}}""", ["ledgerAccount", "code"] },
        { """{"ledgerAccount":{"code":-123456}}""", ["ledgerAccount", "code"] },
        { """{"ledgerAccount":{"code":"123456"}}""", ["ledgerAccount", "code"] },
        { """{"ledgerAccount":{"code":123456.5}}""", ["ledgerAccount", "code"] },
        { """{"currency":"XYZ"}""", ["currency"] },
        { """{"bankCountry":"ZZ"}""", ["bankCountry"] },
        { """{"bankProvider":"NOT_A_BANK"}""", ["bankProvider"] },
        { """{"iban":"DE89370400440532013000"}""", ["bic"] },
        { """{"bic":"DEUTDEFF"}""", ["iban"] },
        { """{"iban":"DE89370400440532013001","bic":"DEUTDEFF"}""", ["iban"] },
        { """{"iban":"DE89370400440532013000","bic":"DEUT"}""", ["bic"] },
        { """{"domesticBankAccountNumber":"12345678"}""", ["domesticBankCode"] },
        { """{"domesticBankCode":"026009593"}""", ["domesticBankAccountNumber"] },
        { """{"companyEntityId":"not-a-uuid"}""", ["companyEntityId"] },
        { """{"defaultChargeBearerCode":"BEN"}""", ["defaultChargeBearerCode"] },
        { """{"name":"   "}""", ["name"] },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task Each_bad_field_is_400_with_its_path_and_creates_nothing(string overrides, object[] path)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            AccountRequest(server.Company.EntityId, NewCode()), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))!.AsObject();
        foreach (var (k, v) in JsonNode.Parse(overrides)!.AsObject()) body[k] = v?.DeepClone();
        var banks = await BankAccountCount();
        var ledgers = await LedgerAccountCount();

        var error = (await server.Admin.PostAsync("/v1/bank-accounts", body.ToJsonString())).AssertError(400, "BAD_REQUEST");
        Assert.True(HasErrorAt(error, path), $"no error at [{string.Join(",", path)}]: {error}");
        Assert.Equal(banks, await BankAccountCount());
        Assert.Equal(ledgers, await LedgerAccountCount());
    }

    [Fact]
    public async Task Entity_must_belong_to_the_callers_company()
    {
        var other = await server.CreateTenantAsync("Entity Owner GmbH", "EUR");
        foreach (var entityId in new[] { other.EntityId, Guid.NewGuid() })
        {
            var error = (await server.Admin.PostAsync("/v1/bank-accounts", AccountRequest(entityId, NewCode())))
                .AssertError(400, "BAD_REQUEST");
            Assert.Equal(["companyEntityId"], PathOf(error).Select(p => p.ToString()));
        }
    }

    [Fact]
    public async Task Viewer_may_read_but_not_write()
    {
        var account = await CreateAccountAsync(server.Company);
        var id = account.Id();
        (await server.Viewer.PostAsync("/v1/bank-accounts", AccountRequest(server.Company.EntityId, NewCode()))).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PutAsync($"/v1/bank-accounts/{id}/balance", new { balance = 1 })).AssertError(403, "FORBIDDEN");
        (await server.Viewer.PostAsync($"/v1/bank-accounts/{id}/bank-transactions", new { transactions = new[] { Line("2024-01-01", 1, "C") } }))
            .AssertError(403, "FORBIDDEN");
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM bank_transactions WHERE company_id = $1 AND bank_account_id = $2",
            server.Company.CompanyId, Guid.Parse(id)));
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM bank_account_balances WHERE company_id = $1 AND bank_account_id = $2",
            server.Company.CompanyId, Guid.Parse(id)));

        (await server.Viewer.GetAsync("/v1/bank-accounts")).AssertOk();
        (await server.Viewer.GetAsync($"/v1/bank-accounts/{id}/balance")).AssertOk();
        (await server.Viewer.GetAsync($"/v1/bank-accounts/{id}/bank-transactions")).AssertOk();
    }

    [Fact]
    public async Task Another_companys_bank_account_is_404_everywhere()
    {
        var other = await server.CreateTenantAsync("Rival Bank User", "EUR");
        var theirs = await CreateAccountAsync(other, "EUR");
        var id = theirs.Id();
        var line = (await other.Admin.PostAsync($"/v1/bank-accounts/{id}/bank-transactions",
            new { transactions = new[] { Line("2024-02-01", 500, "C", "rival-1") } })).AssertOk().AsArray().Single()!;

        (await server.Admin.GetAsync($"/v1/bank-accounts/{id}/balance")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PutAsync($"/v1/bank-accounts/{id}/balance", new { balance = 1 })).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/bank-accounts/{id}/bank-transactions")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PostAsync($"/v1/bank-accounts/{id}/bank-transactions",
            new { transactions = new[] { Line("2024-02-01", 1, "D") } })).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/bank-accounts/{id}/bank-transactions/{line.Id()}")).AssertError(404, "NOT_FOUND");
        Assert.DoesNotContain((await server.Admin.GetAsync("/v1/bank-accounts")).AssertOk().AsArray(), a => a!.Id() == id);

        // Nothing leaked in: the rival's account still has exactly its own line and no opening balance.
        var theirList = (await other.Admin.GetAsync($"/v1/bank-accounts/{id}/bank-transactions")).AssertOk();
        Assert.Equal(1, theirList["total"]!.GetValue<long>());
        Assert.Null((await other.Admin.GetAsync($"/v1/bank-accounts/{id}/balance")).AssertOk()["bankBalance"]);
    }

    [Fact]
    public async Task Malformed_ids_in_the_path_are_400_naming_the_parameter()
    {
        var account = await CreateAccountAsync(server.Company);
        foreach (var (method, path, name) in new[]
                 {
                     (HttpMethod.Get, "/v1/bank-accounts/nope/balance", "bankAccountId"),
                     (HttpMethod.Put, "/v1/bank-accounts/nope/balance", "bankAccountId"),
                     (HttpMethod.Get, "/v1/bank-accounts/nope/bank-transactions", "bankAccountId"),
                     (HttpMethod.Post, "/v1/bank-accounts/nope/bank-transactions", "bankAccountId"),
                     (HttpMethod.Get, $"/v1/bank-accounts/nope/bank-transactions/{Guid.NewGuid()}", "bankAccountId"),
                     (HttpMethod.Get, $"/v1/bank-accounts/{account.Id()}/bank-transactions/12345", "bankTransactionId"),
                 })
        {
            var body = method == HttpMethod.Get ? null : (object)new { balance = 1, transactions = Array.Empty<object>() };
            var error = (await server.Admin.SendAsync(method, path, body)).AssertError(400, "BAD_REQUEST");
            Assert.Equal([name], PathOf(error).Select(p => p.ToString()));
        }
    }

    [Fact]
    public async Task Unknown_bank_account_is_404()
    {
        var id = Guid.NewGuid();
        (await server.Admin.GetAsync($"/v1/bank-accounts/{id}/balance")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PutAsync($"/v1/bank-accounts/{id}/balance", new { balance = 1 })).AssertError(404, "NOT_FOUND");
        (await server.Admin.GetAsync($"/v1/bank-accounts/{id}/bank-transactions")).AssertError(404, "NOT_FOUND");
        (await server.Admin.PostAsync($"/v1/bank-accounts/{id}/bank-transactions", new { transactions = new[] { Line("2024-01-01", 1, "C") } }))
            .AssertError(404, "NOT_FOUND");
    }
}
