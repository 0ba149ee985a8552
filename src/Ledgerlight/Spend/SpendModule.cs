namespace Ledgerlight.Spend;

/// <summary>Cards and card balance accounts, with Ledgerlight's sandbox issuer behind <see cref="ICardIssuer"/>.</summary>
public static class SpendModule
{
    public static IServiceCollection AddSpend(this IServiceCollection services) => services
        .AddSingleton<CardKeyStore>()
        .AddSingleton<ICardIssuer, SandboxCardIssuer>()
        .AddSingleton<CardStore>()
        .AddSingleton<CardBalanceAccountStore>()
        .AddSingleton<Expenses.ExpenseStore>()
        .AddSingleton<Expenses.ExpenseLineStore>()
        .AddSingleton<Expenses.ExpenseSubmission>();

    public static IEndpointRouteBuilder MapSpend(this IEndpointRouteBuilder app)
    {
        app.MapCardBalanceAccountApi();
        app.MapCardApi();
        app.MapCardNetworkApi();
        Expenses.ExpenseApi.MapExpenseApi(app);
        return app;
    }
}
