using Ledgerlight.Currencies;

namespace Ledgerlight.Ledger;

/// <summary>
/// What every posting document (journal entry, bill, credit note, purchase order, sales invoice,
/// customer credit, contract) needs before it posts: its entity, that entity's currencies, and the
/// rate of a date. Written once; the stores import it with `using static`.
/// </summary>
public static class DocumentContext
{
    /// <summary>The entity named, or the company's only entity when none is named (400 / MISSING_PARAMETER otherwise).</summary>
    public static async Task<Guid> ResolveEntityAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid? entityId) =>
        PickEntity((await conn.QueryAsync<Guid>("SELECT id FROM company_entities WHERE company_id = @companyId ORDER BY sort_position, id",
            new { companyId }, tx)).ToList(), entityId);

    /// <summary>The rule of <see cref="ResolveEntityAsync"/> over the company's entities (in their order), for callers that read them with other rows.</summary>
    public static Guid PickEntity(IReadOnlyList<Guid> entities, Guid? entityId)
    {
        if (entityId is { } given)
            return entities.Contains(given) ? given : throw ApiException.BadRequest($"Company entity {given} does not exist", "companyEntityId");
        return entities.Count == 1 ? entities[0] : throw ApiException.MissingParameter("companyEntityId");
    }

    /// <summary>The entity's local currency and the company's group currency.</summary>
    public static async Task<(string Local, string Group)> CurrenciesOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid companyId, Guid entityId) =>
        await conn.QuerySingleAsync<(string, string)>("""
            SELECT trim(e.local_currency), trim(c.base_currency) FROM company_entities e JOIN companies c ON c.id = e.company_id
             WHERE e.company_id = @companyId AND e.id = @entityId
            """, new { companyId, entityId }, tx);

    /// <summary>The stored ECB rate from → to on or before the date (1 for the same currency); none is a 422 naming the override field.</summary>
    public static async Task<decimal> RateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string from, string to, DateOnly date, string field)
    {
        if (from == to) return 1m;
        var rate = await ExchangeRateStore.FindAsync(conn, tx, from, to, date)
                   ?? throw ApiException.Unprocessable(
                       $"No exchange rate {from}->{to} on or before {date:yyyy-MM-dd}; load rates or give {field}", field);
        return rate.Rate;
    }
}
