namespace Ledgerlight.Currencies;

/// <summary>Exchange rates: the store, the bundled ECB history loaded at start, and the rates API.</summary>
public static class CurrenciesModule
{
    public static IServiceCollection AddCurrencies(this IServiceCollection services) => services
        .AddSingleton<ExchangeRateStore>()
        .AddHostedService<BundledExchangeRates>();

    public static IEndpointRouteBuilder MapCurrencies(this IEndpointRouteBuilder app)
    {
        app.MapExchangeRateApi();
        return app;
    }
}
