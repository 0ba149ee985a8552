using System.CommandLine;
using Ledgerlight.Organization;
using Ledgerlight.Organization.ApiKeys;
using Ledgerlight.Organization.Companies;
using Ledgerlight.Documents;
using Ledgerlight.Hosting;
using Ledgerlight.Payables.Vendors;
using Ledgerlight.Storage;

namespace Ledgerlight.Cli;

/// <summary>The command line: serve, companies and keys. Each command finds its database the same way.</summary>
public static class Commands
{
    static readonly Option<string?> DatabaseOption = new("--database")
    {
        Description = "PostgreSQL connection string or postgres:// URL (default: LEDGERLIGHT_DATABASE_URL, else the embedded cluster)",
    };

    static readonly Option<string> DataOption = new("--data")
    {
        Description = "Folder of the embedded PostgreSQL cluster",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LEDGERLIGHT_DATA") ?? ".ledgerlight",
    };

    public static RootCommand Root()
    {
        var root = new RootCommand("Ledgerlight: a self-hostable finance platform that speaks the Light API");
        root.Options.Add(DatabaseOption);
        root.Options.Add(DataOption);
        DatabaseOption.Recursive = true;
        DataOption.Recursive = true;
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Companies());
        root.Subcommands.Add(Keys());
        root.Subcommands.Add(Migrate());
        root.Subcommands.Add(RatesCommands.Create());
        root.Subcommands.Add(ContractCommands.Create());
        root.Subcommands.Add(CardCommands.Create());
        root.Subcommands.Add(ImportCommands.Create());
        root.Subcommands.Add(OAuthCommands.Create());
        return root;
    }

    static Command Serve()
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Addresses to listen on",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LEDGERLIGHT_URLS") ?? "http://127.0.0.1:8080",
        };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = "Address clients reach the server at, the base of signed file URLs and redirects (default: LEDGERLIGHT_PUBLIC_URL, else the first --urls address)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("LEDGERLIGHT_PUBLIC_URL") is { Length: > 0 } configured ? configured : null,
        };
        publicUrl.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value)
                try { PublicBaseUrl.Normalize(value); }
                catch (ArgumentException e) { result.AddError(e.Message); }
        });
        var demo = new Option<bool>("--demo") { Description = "Create a demo company on first start and print its API key" };
        var command = new Command("serve", "Run the API server") { urls, publicUrl, demo };
        command.SetAction(async (parse, ct) =>
        {
            await using var database = await DatabaseHandle.OpenAsync(parse.GetValue(DatabaseOption), parse.GetValue(DataOption)!);
            var app = LedgerlightServer.Build(new ServerOptions(database.ConnectionString,
                parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries), RateLimitsFromEnvironment())
            {
                BlobDirectory = Environment.GetEnvironmentVariable("LEDGERLIGHT_BLOB_DIR") is { Length: > 0 } blobDir
                    ? blobDir
                    : ServerOptions.DefaultBlobDirectory(parse.GetValue(DataOption)!),
                Smtp = Receivables.InvoiceDocuments.SmtpSettings.FromEnvironment(parse.GetValue(DataOption)!),
                PublicUrl = parse.GetValue(publicUrl),
                BrowserOrigins = Platform.BrowserOrigins.FromEnvironment(),
            });
            await LedgerlightServer.StartAsync(app);
            if (parse.GetValue(demo))
            {
                var services = app.Services;
                var seed = new DemoSeed(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), services.GetRequiredService<CompanyStore>(),
                    services.GetRequiredService<ApiKeyStore>(), services.GetRequiredService<VendorStore>());
                var key = await seed.EnsureAsync();
                Console.WriteLine(key is not null
                    ? $"API key: {key}"
                    : $"{DemoSeed.CompanyName} already exists; its key was printed on first start. " +
                      $"Create another with: dotnet run --project src/Ledgerlight -- keys create --company \"{DemoSeed.CompanyName}\" --role ADMIN");
            }
            foreach (var url in app.Urls) Console.WriteLine($"Ledgerlight listening on {url} (docs at {url}/docs)");
            await app.WaitForShutdownAsync(ct);
            await app.DisposeAsync();
            return 0;
        });
        return command;
    }

    static Command Companies()
    {
        var name = new Option<string>("--name") { Required = true, Description = "Company name" };
        var currency = new Option<string>("--currency") { Required = true, Description = "Base currency (ISO 4217)" };
        var create = new Command("create", "Create a company with one legal entity and the standard chart of accounts; prints its id")
            { name, currency };
        create.SetAction(async (parse, _) => await WithStores(parse, async (companies, _) =>
        {
            var result = await companies.ProvisionAsync(new CompanySetup(parse.GetValue(name)!, parse.GetValue(currency)!.ToUpperInvariant()));
            Console.WriteLine(result.CompanyId);
        }));
        return new Command("companies", "Manage companies") { create };
    }

    static Command Keys()
    {
        var company = new Option<string>("--company") { Required = true, Description = "Company id or name" };
        var role = new Option<string>("--role") { Required = true, Description = "ADMIN, VIEWER, AP_CLERK, AR_CLERK, ACCOUNTANT or APPROVER" };
        var name = new Option<string?>("--name") { Description = "Label shown in key listings" };
        var user = new Option<string?>("--user") { Description = "Id or e-mail of the company's user the key acts as (it stops working while the user is deactivated)" };
        var create = new Command("create", "Create an API key; prints only the key (shown once)") { company, role, name, user };
        create.SetAction(async (parse, _) => await WithStores(parse, async (companies, keys) =>
        {
            var found = await companies.FindAsync(parse.GetValue(company)!)
                        ?? throw new ArgumentException($"company '{parse.GetValue(company)}' not found");
            Guid? userId = parse.GetValue(user) is { } u ? await keys.FindUserAsync(found.Id, u) : null;
            var created = await keys.CreateAsync(found.Id, parse.GetValue(role)!.ToUpperInvariant(), parse.GetValue(name), userId);
            Console.WriteLine(created.Key);
        }));

        var listCompany = new Option<string?>("--company") { Description = "Only this company's keys" };
        var list = new Command("list", "List API keys (never the keys themselves)") { listCompany };
        list.SetAction(async (parse, _) => await WithStores(parse, async (companies, keys) =>
        {
            Guid? companyId = null;
            if (parse.GetValue(listCompany) is { } c)
                companyId = (await companies.FindAsync(c) ?? throw new ArgumentException($"company '{c}' not found")).Id;
            foreach (var k in await keys.ListAsync(companyId))
                Console.WriteLine($"{k.Id}\t{k.CompanyId}\t{k.Role}\t{k.KeyPrefix}…\t{k.Name}\t{(k.UserId is { } uid ? "user " + uid : "no user")}\t{(k.RevokedAt is null ? "active" : "revoked " + k.RevokedAt.Value.ToString("O"))}");
        }));

        var key = new Argument<string>("key") { Description = "Key id or the key itself" };
        var revoke = new Command("revoke", "Revoke an API key") { key };
        revoke.SetAction(async (parse, _) => await WithStores(parse, async (_, keys) =>
        {
            if (!await keys.RevokeAsync(parse.GetValue(key)!)) throw new ArgumentException("no active key matches");
            Console.WriteLine("revoked");
        }));
        return new Command("keys", "Manage API keys") { create, list, revoke };
    }

    static Command Migrate()
    {
        var command = new Command("migrate", "Apply database migrations and exit");
        command.SetAction(async (parse, _) => await WithStores(parse, (_, _) => Task.CompletedTask));
        return command;
    }

    /// <summary>Opens the database (starting the embedded cluster if needed), migrates, runs the action.</summary>
    static async Task<int> WithStores(ParseResult parse, Func<CompanyStore, ApiKeyStore, Task> action)
    {
        try
        {
            await using var database = await DatabaseHandle.OpenAsync(parse.GetValue(DatabaseOption), parse.GetValue(DataOption)!);
            Database.Configure();
            await using var db = Database.Create(database.ConnectionString);
            await Migrator.ApplyAsync(db);
            await action(new CompanyStore(db, TimeProvider.System), new ApiKeyStore(db, TimeProvider.System));
            return 0;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>Like <see cref="WithStores"/>, for commands that need only the migrated database; a malformed input file is a user error too.</summary>
    internal static async Task<int> WithDatabase(ParseResult parse, Func<Npgsql.NpgsqlDataSource, Task> action)
    {
        try
        {
            await using var database = await DatabaseHandle.OpenAsync(parse.GetValue(DatabaseOption), parse.GetValue(DataOption)!);
            Database.Configure();
            await using var db = Database.Create(database.ConnectionString);
            await Migrator.ApplyAsync(db);
            await action(db);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }

    static RateLimitOptions RateLimitsFromEnvironment() => RateLimitOptions.FromEnvironment();
}

/// <summary>The database a command runs against: a configured URL, or the embedded cluster in the data folder.</summary>
public sealed class DatabaseHandle : IAsyncDisposable
{
    readonly PostgresLauncher? _launcher;
    public string ConnectionString { get; }

    DatabaseHandle(string connectionString, PostgresLauncher? launcher)
    {
        ConnectionString = connectionString;
        _launcher = launcher;
    }

    public static async Task<DatabaseHandle> OpenAsync(string? databaseOption, string dataDir)
    {
        var url = databaseOption ?? Environment.GetEnvironmentVariable("LEDGERLIGHT_DATABASE_URL");
        if (!string.IsNullOrWhiteSpace(url)) return new DatabaseHandle(ConnectionStrings.FromUrl(url), null);

        var launcher = new PostgresLauncher(dataDir);
        await launcher.StartAsync();
        // Ctrl-C and SIGTERM end the host gracefully (DisposeAsync below); this covers a plain process exit.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => launcher.StopNow();
        return new DatabaseHandle(launcher.ConnectionString, launcher);
    }

    public async ValueTask DisposeAsync()
    {
        if (_launcher is not null) await _launcher.StopAsync();
    }
}
