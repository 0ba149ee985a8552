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
        // Npgsql otherwise sends "SET SESSION AUTHORIZATION DEFAULT;RESET ALL;CLOSE ALL;UNLISTEN *;..." as a plain
        // query (parsed every time) before a returned connection's next command: a quarter of PostgreSQL's time on a
        // vendor page. Nothing here leaves session state on a pooled connection: settings are transaction-local
        // (set_config(..., true)), temp tables drop on commit, LISTEN runs on the listener's own unpooled connections, and
        // the two session advisory locks (migrations, demo seed) are released in finally blocks. An open transaction is
        // still rolled back when a connection returns to the pool.
        if (!builder.ConnectionStringBuilder.NoResetOnClose) builder.ConnectionStringBuilder.NoResetOnClose = true;
        return builder.Build();
    }

    /// <summary>
    /// Connections held for a server's lifetime (LISTEN for credential changes): outside the request
    /// pool, so they never take a slot requests need, whatever Max Pool Size says.
    /// </summary>
    public static ListenerDataSource CreateListener(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName = (builder.ConnectionStringBuilder.ApplicationName ?? "ledgerlight") + " listener";
        builder.ConnectionStringBuilder.Pooling = false;
        builder.ConnectionStringBuilder.KeepAlive = 5;
        return new ListenerDataSource(builder.Build());
    }

    /// <summary>
    /// Call when a statement failed in PostgreSQL: drops every pooled connection (busy ones when
    /// they come back), and with them their server-side prepared statements.
    /// </summary>
    /// <remarks>
    /// Why: Npgsql (10.0.0 and 10.0.3 alike) auto-prepares a statement on its second use by sending
    /// Parse, Bind, Describe(portal), Execute in one go. It marks the statement prepared as soon as
    /// ParseComplete arrives, but learns its row shape only from the RowDescription that follows
    /// Bind. When Bind itself fails (a parameter PostgreSQL refuses: a NUL in text, 22021; a JSON
    /// "\u0000" sent as jsonb, 22P05...), the statement stays "prepared" with no row shape, and
    /// the next execution of the same SQL on that connection, by any company since the SQL text
    /// is shared, reads its first DataRow as a protocol error ("Received unexpected backend
    /// message DataRow") and breaks. The edge refuses the inputs known to fail at Bind
    /// (<see cref="Platform.InputText"/>); this is the backstop for any other.
    /// </remarks>
    public static void ForgetPreparedStatements(NpgsqlDataSource db) => db.Clear();

    /// <summary>True when <paramref name="e"/> (or an inner exception) is an error PostgreSQL raised for a statement.</summary>
    public static bool IsStatementFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException) return true;
        return false;
    }

    /// <summary>Touch to make sure the static Dapper configuration above has run.</summary>
    public static void Configure() { }

    public const string UniqueViolation = PostgresErrorCodes.UniqueViolation;
}

/// <summary>The unpooled data source for long-lived LISTEN connections (see <see cref="Database.CreateListener"/>).</summary>
public sealed record ListenerDataSource(NpgsqlDataSource Source);
