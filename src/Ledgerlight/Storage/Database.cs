using Dapper;
using Npgsql;

namespace Ledgerlight.Storage;

public static class Database
{
    static Database()
    {
        // Row classes use PascalCase properties for snake_case columns.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new NullableDateOnlyHandler());
    }

    // `date` columns may come back as DateTime depending on how they are read; the API works in DateOnly.
    sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override DateOnly Parse(object value) => value is DateTime dt ? DateOnly.FromDateTime(dt) : (DateOnly)value;
        public override void SetValue(System.Data.IDbDataParameter parameter, DateOnly value)
        {
            parameter.Value = value;
            if (parameter is NpgsqlParameter p) p.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date;
        }
    }

    sealed class NullableDateOnlyHandler : SqlMapper.TypeHandler<DateOnly?>
    {
        public override DateOnly? Parse(object value) => value is DateTime dt ? DateOnly.FromDateTime(dt) : value as DateOnly?;
        public override void SetValue(System.Data.IDbDataParameter parameter, DateOnly? value)
        {
            parameter.Value = value is null ? DBNull.Value : value.Value;
            if (parameter is NpgsqlParameter p) p.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date;
        }
    }

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "ledgerlight";
        // Every request runs the same few statements (key lookup, rate-limit upsert...): let Npgsql
        // prepare them server-side after a couple of uses so PostgreSQL stops re-parsing and re-planning.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        return builder.Build();
    }

    /// <summary>Touch to make sure the static Dapper configuration above has run.</summary>
    public static void Configure() { }

    public const string UniqueViolation = PostgresErrorCodes.UniqueViolation;
}
