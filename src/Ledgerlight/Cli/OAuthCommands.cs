using System.CommandLine;
using Ledgerlight.OAuth;
using Ledgerlight.Organization.Companies;

namespace Ledgerlight.Cli;

/// <summary>
/// `oauth clients create|list|revoke`: register the applications that may ask users for access.
/// The same operations exist for ADMIN keys as /v1/oauth-clients.
/// </summary>
public static class OAuthCommands
{
    public static Command Create() => new("oauth", "OAuth 2.0 authorization server") { Clients() };

    static Command Clients()
    {
        var company = new Option<string>("--company") { Required = true, Description = "Company id or name" };
        var name = new Option<string>("--name") { Required = true, Description = "The application's name, shown to users on the consent screen" };
        var redirects = new Option<string[]>("--redirect-uri")
        {
            Required = true, AllowMultipleArgumentsPerToken = false, Description = "A redirect URI (repeat the option for several; matched exactly)",
        };
        var isPublic = new Option<bool>("--public") { Description = "A public client (no secret; PKCE S256 required), e.g. a mobile or single-page app" };
        var create = new Command("create", "Register a client; prints client_id and client_secret (the secret is shown only this once)")
            { company, name, redirects, isPublic };
        create.SetAction(async (parse, _) => await Commands.WithDatabase(parse, async db =>
        {
            var companyId = await FindCompanyAsync(db, parse.GetValue(company)!);
            try
            {
                var created = await new OAuthClientStore(db, TimeProvider.System)
                    .CreateAsync(companyId, new CreateOAuthClientRequest(parse.GetValue(name), parse.GetValue(redirects), parse.GetValue(isPublic)));
                Console.WriteLine($"client_id={created.Id}");
                Console.WriteLine(created.ClientSecret is null ? "client_secret= (public client: use PKCE S256)" : $"client_secret={created.ClientSecret}");
            }
            catch (ApiException e)
            {
                throw new ArgumentException(string.Join("; ", e.Errors.Select(x => x.Message).DefaultIfEmpty(e.Message)));
            }
        }));

        var listCompany = new Option<string?>("--company") { Description = "Only this company's clients" };
        var list = new Command("list", "List clients (never their secrets)") { listCompany };
        list.SetAction(async (parse, _) => await Commands.WithDatabase(parse, async db =>
        {
            Guid? companyId = parse.GetValue(listCompany) is { } c ? await FindCompanyAsync(db, c) : null;
            foreach (var client in await new OAuthClientStore(db, TimeProvider.System).ListAsync(companyId))
                Console.WriteLine($"{client.Id}\t{client.CompanyId}\t{client.Name}\t{(client.IsPublic ? "public" : "confidential")}\t" +
                                  $"{string.Join(" ", client.RedirectUris)}\t{(client.RevokedAt is null ? "active" : "revoked " + client.RevokedAt.Value.ToString("O"))}");
        }));

        var id = new Argument<string>("client-id") { Description = "The client_id" };
        var revoke = new Command("revoke", "Revoke a client: its tokens stop working at once") { id };
        revoke.SetAction(async (parse, _) => await Commands.WithDatabase(parse, async db =>
        {
            if (!Guid.TryParse(parse.GetValue(id), out var clientId)) throw new ArgumentException("client-id must be a client_id (UUID)");
            if (await new OAuthClientStore(db, TimeProvider.System).RevokeAsync(null, clientId) is null) throw new ArgumentException("no such client");
            Console.WriteLine("revoked");
        }));
        return new Command("clients", "Manage OAuth clients") { create, list, revoke };
    }

    static async Task<Guid> FindCompanyAsync(Npgsql.NpgsqlDataSource db, string idOrName) =>
        (await new CompanyStore(db, TimeProvider.System).FindAsync(idOrName) ?? throw new ArgumentException($"company '{idOrName}' not found")).Id;
}
