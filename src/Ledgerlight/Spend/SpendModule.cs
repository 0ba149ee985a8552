using Ledgerlight.Spend.CardTransactions;

namespace Ledgerlight.Spend;

/// <summary>Cards, card balance accounts and card transactions, with Ledgerlight's sandbox issuer behind <see cref="ICardIssuer"/>.</summary>
public static class SpendModule
{
    public static IServiceCollection AddSpend(this IServiceCollection services) => services
        .AddSingleton<CardKeyStore>()
        .AddSingleton<ICardIssuer, SandboxCardIssuer>()
        .AddSingleton<CardStore>()
        .AddSingleton<CardBalanceAccountStore>()
        .AddSingleton<CardTransactionPostingStore>()
        .AddSingleton<CardTransactionEditStore>();

    public static IEndpointRouteBuilder MapSpend(this IEndpointRouteBuilder app)
    {
        app.MapCardBalanceAccountApi();
        app.MapCardApi();
        app.MapCardNetworkApi();
        app.MapCardTransactionApi();
        app.MapCardTransactionEditApi();
        app.MapCardTransactionReceiptApi();
        return app;
    }
}
