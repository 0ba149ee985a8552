namespace Ledgerlight.Banking;

/// <summary>Bank accounts and their transactions.</summary>
public static class BankingModule
{
    public static IServiceCollection AddBanking(this IServiceCollection services) => services
        .AddSingleton<BankAccountStore>()
        .AddSingleton<BankTransactionStore>();

    public static IEndpointRouteBuilder MapBanking(this IEndpointRouteBuilder app)
    {
        app.MapBankingApi();
        return app;
    }
}
