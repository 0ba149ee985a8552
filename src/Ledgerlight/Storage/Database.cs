using Dapper;
using Npgsql;

namespace Ledgerlight.Storage;

public static class Database
{
    static Database()
    {
        // Row classes use PascalCase properties for snake_case columns.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "ledgerlight";
        return builder.Build();
    }

    /// <summary>Touch to make sure the static Dapper configuration above has run.</summary>
    public static void Configure() { }

    public const string UniqueViolation = PostgresErrorCodes.UniqueViolation;
}
