using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ledgerlight.Tests.Banking;
using Ledgerlight.Tests.Infrastructure;
using Xunit;
using static Ledgerlight.Tests.Spend.SpendKit;

namespace Ledgerlight.Tests.Spend;

/// <summary>Balance accounts, funding and cards through the API (real server, real PostgreSQL).</summary>
public class CardApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    // With dashes: a 32-digit "N" GUID can hold 13 decimal digits in a row, which the no-PAN check below would take for a card number.
    Task<Tenant> TenantAsync() => server.CreateTenantAsync($"Spend {Guid.NewGuid()}", "USD");

    [Fact]
    public async Task Every_entity_starts_with_a_primary_balance_account_in_its_currency()
    {
        var tenant = await TenantAsync();
        var list = (await tenant.Admin.GetAsync("/v1/card-balance-accounts?sort=createdAt:asc&limit=5")).AssertOk();
        var account = Assert.Single(list["records"]!.AsArray())!;
        Assert.True(account["primary"]!.GetValue<bool>());
        Assert.Equal("USD", account["currency"]!.GetValue<string>());
        Assert.Equal(tenant.EntityId.ToString(), account["companyEntityId"]!.GetValue<string>());
        Assert.Equal(0, account["balance"]!["available"]!.GetValue<long>());
        (await tenant.Admin.GetAsync($"/v1/card-balance-accounts/{Guid.NewGuid()}")).AssertError(404, "NOT_FOUND");
        (await tenant.Admin.GetAsync("/v1/card-balance-accounts/not-a-uuid")).AssertError(400, "BAD_REQUEST");
        // Another company's account is not found.
        var other = await TenantAsync();
        (await other.Admin.GetAsync($"/v1/card-balance-accounts/{account.Id()}")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Funding_posts_card_against_bank_and_raises_the_balance()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        var funded = await FundAsync(tenant, account, 50_000);
        Assert.Equal(50_000, funded["balance"]!["available"]!.GetValue<long>());
        Assert.Equal(50_000, funded["balance"]!["settled"]!.GetValue<long>());
        Assert.Equal(50_000, await server.ScalarAsync("""
            SELECT COALESCE(sum(l.signed_local_amount), 0) FROM ledger_lines l JOIN ledger_accounts a ON a.company_id = l.company_id AND a.id = l.account_id
             WHERE l.company_id = $1 AND a.system_role = 'CARD'
            """, tenant.CompanyId));
        Assert.Equal(0, await server.ScalarAsync("SELECT COALESCE(sum(signed_local_amount), 0) FROM ledger_lines WHERE company_id = $1", tenant.CompanyId));
        var error = (await tenant.Admin.PostAsync($"/v1/card-balance-accounts/{account}/fundings", new { amount = -5 })).AssertError(400, "BAD_REQUEST");
        Assert.True(BankingHelpers.HasErrorAt(error, "bankAccountId"));
        Assert.True(BankingHelpers.HasErrorAt(error, "amount"));
        var eur = (await BankingHelpers.CreateAccountAsync(tenant, "EUR")).Id();
        (await tenant.Admin.PostAsync($"/v1/card-balance-accounts/{account}/fundings", new { bankAccountId = eur, amount = 5 }))
            .AssertError(422, "UNPROCESSABLE_CONTENT");
    }

    [Fact]
    public async Task Cards_are_created_virtual_or_physical_and_never_show_a_pan()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        var card = await CardAsync(tenant, account, limits: [new { amount = 10_000, interval = "MONTHLY" }]);
        Assert.Equal("VIRTUAL", card["form"]!.GetValue<string>());
        Assert.Equal("ACTIVE", card["status"]!.GetValue<string>());
        Assert.Equal(6, card["bin"]!.GetValue<string>().Length);
        Assert.Matches("^[0-9]{4}$", card["lastFour"]!.GetValue<string>());
        Assert.Equal("MONTHLY", card["limits"]![0]!["interval"]!.GetValue<string>());
        Assert.Equal("Cara Holder", card["cardholderName"]!.GetValue<string>());

        var physical = (await tenant.Admin.PostAsync("/v1/cards", new
        {
            balanceAccountId = account, ownerId = await OwnerAsync(tenant), metadata = new { type = "EMPLOYEE" }, formFactor = "PHYSICAL",
            deliveryContact = new
            {
                address = new { street = "Main St", houseNumberOrName = "1", city = "Austin", postalCode = "73301", country = "US", stateOrProvince = "TX" },
                name = new { firstName = "Cara", lastName = "Holder" },
            },
        })).AssertOk();
        Assert.Equal("PHYSICAL", physical["form"]!.GetValue<string>());
        // A physical card travels by post: it is FROZEN until its holder confirms having it by unfreezing it.
        Assert.Equal("FROZEN", physical["status"]!.GetValue<string>());
        Assert.Equal("ACTIVE", (await tenant.Admin.PostAsync($"/v1/cards/{physical.Id()}/unfreeze")).AssertOk()["status"]!.GetValue<string>());

        var got = await tenant.Admin.GetAsync($"/v1/cards/{card.Id()}");
        var listed = await tenant.Admin.GetAsync($"/v1/cards?filter=cardBalanceAccountId:eq:{account}&sort=createdAt:desc");
        Assert.Equal(2, listed.AssertOk()["records"]!.AsArray().Count);
        foreach (var body in new[] { got.Body, listed.Body, card.ToJsonString(), physical.ToJsonString() })
            Assert.DoesNotMatch(new Regex("[0-9]{13,}"), body);
        // Not stored either: only the BIN and last four digits.
        Assert.Equal(0, await server.ScalarAsync("""
            SELECT count(*) FROM cards c WHERE c.company_id = $1 AND row_to_json(c)::text ~ '[0-9]{13,}'
            """, tenant.CompanyId));
    }

    [Fact]
    public async Task Invalid_card_requests_are_400_with_paths()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        var owner = await OwnerAsync(tenant);
        async Task Expect(object body, params object[] path)
        {
            var error = (await tenant.Admin.PostAsync("/v1/cards", body)).AssertError(400, "BAD_REQUEST");
            Assert.True(BankingHelpers.HasErrorAt(error, path), $"no error at {string.Join('.', path)}: {error.ToJsonString()}");
        }
        await Expect(new { ownerId = owner, metadata = new { type = "EMPLOYEE" } }, "balanceAccountId");
        await Expect(new { balanceAccountId = account, ownerId = owner }, "metadata");
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "VENDOR" } }, "metadata", "vendorId");
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, formFactor = "PHYSICAL" }, "deliveryContact");
        await Expect(new
        {
            balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" },
            deliveryContact = new { address = new { street = "a", city = "b", postalCode = "c", country = "DE" }, name = new { firstName = "a", lastName = "b" } },
        }, "deliveryContact");
        await Expect(new
        {
            balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, formFactor = "PHYSICAL",
            deliveryContact = new { address = new { street = "a", city = "b", postalCode = "c", country = "CA" }, name = new { firstName = "a", lastName = "b" } },
        }, "deliveryContact", "address", "stateOrProvince");
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, limits = new[] { new { amount = 5, interval = "DAILY" } } },
            "limits", 0, "interval");
        await Expect(new { balanceAccountId = account, ownerId = Guid.NewGuid(), metadata = new { type = "EMPLOYEE" } }, "ownerId");
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, limits = new[] { new { amount = 5, currency = "EUR", interval = "WEEKLY" } } },
            "limits", 0, "currency");
        (await tenant.Viewer.PostAsync("/v1/cards", new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" } }))
            .AssertError(403, "FORBIDDEN");
    }

    [Fact]
    public async Task Delivery_mismatches_carry_the_codes_lights_schema_names_as_the_error_type()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        var owner = await OwnerAsync(tenant);
        object Contact(string country) => new
        {
            address = new { street = "a", city = "b", postalCode = "c", country }, name = new { firstName = "a", lastName = "b" },
        };
        async Task Expect(object body, string code, params object[] path)
        {
            var error = (await tenant.Admin.PostAsync("/v1/cards", body)).AssertError(400, "BAD_REQUEST");
            var first = error["errors"]![0]!;
            Assert.Equal(code, first["type"]!.GetValue<string>());
            Assert.Equal(path.Select(p => p.ToString()), first["path"]!.AsArray().Select(p => p!.ToString()));
            // The code is the type, not a prefix of the text a person reads.
            Assert.DoesNotContain(code, first["message"]!.GetValue<string>());
        }
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, formFactor = "PHYSICAL" },
            "PHYSICAL_CARD_DELIVERY_CONTACT_REQUIRED", "deliveryContact");
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, deliveryContact = Contact("DE") },
            "VIRTUAL_CARD_DELIVERY_CONTACT_NOT_ALLOWED", "deliveryContact");
        await Expect(new { balanceAccountId = account, ownerId = owner, metadata = new { type = "EMPLOYEE" }, formFactor = "PHYSICAL", deliveryContact = Contact("US") },
            "PHYSICAL_CARD_STATE_OR_PROVINCE_REQUIRED", "deliveryContact", "address", "stateOrProvince");
    }

    [Fact]
    public async Task Create_card_honours_the_idempotency_key_and_viewers_only_read()
    {
        var tenant = await TenantAsync();
        var account = await PrimaryAccountAsync(tenant);
        var body = new { balanceAccountId = account, ownerId = await OwnerAsync(tenant), metadata = new { type = "EMPLOYEE" } };
        var headers = new Dictionary<string, string> { ["X-Idempotency-Key"] = $"card-{Guid.NewGuid():N}" };
        var first = (await tenant.Admin.PostAsync("/v1/cards", body, headers)).AssertOk();
        var retry = (await tenant.Admin.PostAsync("/v1/cards", body, headers)).AssertOk();
        Assert.Equal(first.Id(), retry.Id());
        Assert.Single((await tenant.Viewer.GetAsync("/v1/cards")).AssertOk()["records"]!.AsArray());
        (await tenant.Viewer.PostAsync($"/v1/cards/{first.Id()}/freeze")).AssertError(403, "FORBIDDEN");
        var bank = (await BankingHelpers.CreateAccountAsync(tenant)).Id();
        (await tenant.Viewer.PostAsync($"/v1/card-balance-accounts/{account}/fundings", new { bankAccountId = bank, amount = 1 })).AssertError(403, "FORBIDDEN");
    }

    [Fact]
    public async Task Freeze_and_unfreeze_are_idempotent()
    {
        var tenant = await TenantAsync();
        var card = (await CardAsync(tenant, await PrimaryAccountAsync(tenant))).Id();
        for (var i = 0; i < 2; i++)
            Assert.Equal("FROZEN", (await tenant.Admin.PostAsync($"/v1/cards/{card}/freeze")).AssertOk()["status"]!.GetValue<string>());
        for (var i = 0; i < 2; i++)
            Assert.Equal("ACTIVE", (await tenant.Admin.PostAsync($"/v1/cards/{card}/unfreeze")).AssertOk()["status"]!.GetValue<string>());
        (await tenant.Admin.PostAsync($"/v1/cards/{Guid.NewGuid()}/freeze")).AssertError(404, "NOT_FOUND");
    }

    [Fact]
    public async Task Public_key_is_stable_until_rotation_and_decrypts_only_inside_the_issuer()
    {
        var tenant = await TenantAsync();
        var first = (await tenant.Admin.GetAsync("/v1/card-customers/public-key")).AssertOk();
        var again = (await tenant.Admin.GetAsync($"/v1/card-customers/public-key?companyEntityId={tenant.EntityId}")).AssertOk();
        Assert.Equal(first["publicKey"]!.GetValue<string>(), again["publicKey"]!.GetValue<string>());
        Assert.True(DateOnly.Parse(first["expiryDate"]!.GetValue<string>()) > DateOnly.FromDateTime(DateTime.UtcNow).AddDays(300));
        Assert.DoesNotContain("PRIVATE", first.ToJsonString());

        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(first["publicKey"]!.GetValue<string>()), out _);
        var secret = "3ds-password"u8.ToArray();
        var cipher = rsa.Encrypt(secret, System.Security.Cryptography.RSAEncryptionPadding.OaepSHA256);
        var issuer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Ledgerlight.Spend.ICardIssuer>(server.Services);
        Assert.Equal(secret, await issuer.DecryptAsync(tenant.CompanyId, tenant.EntityId, cipher));

        // Close to expiry, the key is rotated; the old one still decrypts what was sent with it.
        await server.ScalarAsync("UPDATE card_issuer_keys SET expires_on = current_date + 3 WHERE company_id = $1", tenant.CompanyId);
        var rotated = (await tenant.Admin.GetAsync("/v1/card-customers/public-key")).AssertOk();
        Assert.NotEqual(first["publicKey"]!.GetValue<string>(), rotated["publicKey"]!.GetValue<string>());
        Assert.Equal(secret, await issuer.DecryptAsync(tenant.CompanyId, tenant.EntityId, cipher));
        Assert.Equal(0, await server.ScalarAsync("SELECT count(*) FROM card_issuer_keys WHERE company_id = $1 AND private_key_encrypted IS NULL", tenant.CompanyId));
    }
}
