using Ledgerlight.Spend.CardTransactions;
using Ledgerlight.Spend.Expenses;

namespace Ledgerlight.Spend;

/// <summary>
/// Cards, card balance accounts, card transactions, expenses and reimbursements, with Ledgerlight's sandbox
/// issuer behind <see cref="ICardIssuer"/> (a real issuer's adapter replaces that one registration).
/// </summary>
public static class SpendModule
{
    public static IServiceCollection AddSpend(this IServiceCollection services) => services
        .AddSingleton<CardKeyStore>()
        .AddSingleton<ICardIssuer, SandboxCardIssuer>()
        .AddSingleton<CardStore>()
        .AddSingleton<CardBalanceAccountStore>()
        .AddSingleton<CardTransactionPostingStore>()
        .AddSingleton<CardTransactionEditStore>()
        .AddSingleton<ExpenseStore>()
        .AddSingleton<ExpenseLineStore>()
        .AddSingleton<ExpenseSubmission>();

    public static IEndpointRouteBuilder MapSpend(this IEndpointRouteBuilder app)
    {
        app.MapCardBalanceAccountApi();
        app.MapCardApi();
        app.MapCardNetworkApi();
        app.MapCardTransactionApi();
        app.MapCardTransactionEditApi();
        app.MapCardTransactionReceiptApi();
        app.MapExpenseApi();
        return app;
    }
}
