namespace Ledgerlight.Spend;

public enum CardAction { Freeze, Unfreeze }

/// <summary>A card's lifecycle. Freezing a frozen card and unfreezing an active one change nothing (Light's idempotent actions).</summary>
public static class CardStates
{
    public const string Active = "ACTIVE";
    public const string Frozen = "FROZEN";
    public const string Closed = "CLOSED";

    /// <summary>
    /// A virtual card can spend at once. A physical card is issued FROZEN: it is in the post, and its first unfreeze is the
    /// cardholder confirming they have it (unfreezeCard's text), so a card lost on the way cannot be used.
    /// </summary>
    public static string Initial(string form) => form == CardForms.Physical ? Frozen : Active;

    public static readonly StateMachine<CardAction> Machine = new("Card", new Dictionary<CardAction, Transition>
    {
        [CardAction.Freeze] = new([Active, Frozen], Frozen, "frozen"),
        [CardAction.Unfreeze] = new([Frozen, Active], Active, "unfrozen"),
    });
}

public static class CardLimitIntervals
{
    public const string PerTransaction = "PER_TRANSACTION";
    public const string Weekly = "WEEKLY";
    public const string Monthly = "MONTHLY";
    public static readonly string[] All = [PerTransaction, Weekly, Monthly];

    /// <summary>
    /// The spend window an interval limit counts in, containing <paramref name="at"/> (UTC): the ISO week
    /// from Monday 00:00, or the calendar month. PER_TRANSACTION has no window (null).
    /// </summary>
    public static (DateTime From, DateTime To)? Window(string interval, DateTime at)
    {
        var day = at.Date;
        switch (interval)
        {
            case Weekly:
                var monday = day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
                return (monday, monday.AddDays(7));
            case Monthly:
                var first = new DateTime(day.Year, day.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                return (first, first.AddMonths(1));
            default:
                return null;
        }
    }
}
