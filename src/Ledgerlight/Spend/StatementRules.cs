namespace Ledgerlight.Spend;

/// <summary>One movement of a balance account: a funding (CREDIT), a payment (DEBIT) or a refund (CREDIT).</summary>
public sealed record BalanceMovement(string ProviderId, string Direction, long Amount, DateTime BookedAt, DateTime ValuedAt,
    string? Description, string? Reference);

public sealed record StatementLine(string ProviderId, string Direction, long Amount, long RunningBalance, DateTime BookedAt, DateTime ValuedAt,
    string? Description, string? Reference);

public static class Directions
{
    public const string Debit = "DEBIT";
    public const string Credit = "CREDIT";

    public static long Signed(string direction, long amount) => direction == Credit ? amount : -amount;
}

/// <summary>A statement from its opening balance and the period's movements: each line carries the balance after it.</summary>
public static class StatementRules
{
    public static (IReadOnlyList<StatementLine> Lines, long Closing) Build(long opening, IEnumerable<BalanceMovement> movements)
    {
        var balance = opening;
        var lines = new List<StatementLine>();
        foreach (var m in movements.OrderBy(m => m.BookedAt).ThenBy(m => m.ProviderId, StringComparer.Ordinal))
        {
            balance = checked(balance + Directions.Signed(m.Direction, m.Amount));
            lines.Add(new StatementLine(m.ProviderId, m.Direction, m.Amount, balance, m.BookedAt, m.ValuedAt, m.Description, m.Reference));
        }
        return (lines, balance);
    }
}
