namespace ActionExec.PostgreSql;

/// <summary>
/// Options of the PostgreSQL store. Bound from the <c>ActionExec:PostgreSql</c> configuration section by
/// <c>AddPostgreSql(IConfiguration)</c> (durations as <c>"00:00:05"</c>) and validated when the host starts,
/// with every problem listed at once.
/// </summary>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>The default <see cref="Schema"/>: <c>actionexec</c>.</summary>
    public const string DefaultSchema = "actionexec";

    /// <summary>The longest <see cref="Schema"/> accepted: 40 characters, so that every name derived from it fits PostgreSQL's 63-byte identifiers.</summary>
    public const int MaxSchemaLength = 40;

    /// <summary>
    /// The connection string, when the store is not given an <c>NpgsqlDataSource</c>. <c>AddPostgreSql(IConfiguration)</c>
    /// reads it from <c>ConnectionStrings:ActionExec</c>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The PostgreSQL schema that holds every table of the store: lower-case letters, digits and underscores, starting with
    /// a letter or an underscore, at most <see cref="MaxSchemaLength"/> characters. The default is <c>actionexec</c>.
    /// </summary>
    public string Schema { get; set; } = DefaultSchema;

    /// <summary>
    /// Whether the host applies the schema's migrations when it starts (the default). When <see langword="false"/>, the host
    /// only checks at start that the schema is current; a DBA applies
    /// <see cref="Migrations.PostgreSqlSchema.GetMigrationScript(string)"/> beforehand.
    /// </summary>
    public bool RunMigrations { get; set; } = true;

    /// <summary>
    /// How often an instance reads the sequences of the tenants it holds, on top of the notifications every commit sends, so
    /// that an instance that missed a notification (its listening connection dropped) still sees a change within this time.
    /// The default is 5 seconds; from 10 milliseconds to 1 hour.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether background deliveries are queued in the database (the default): they survive a restart or a crash, workers on every
    /// instance share them, their attempts are kept as the delivery history, and <see cref="Delivery.IPostgreSqlOutbox"/> can queue
    /// them in the host's own transaction. When <see langword="false"/>, the in-memory queue of ActionExec.Core is kept: only the
    /// targets and executions are stored here. <see cref="PollInterval"/> is also the longest a worker waits before it looks for
    /// due deliveries whose notification it missed.
    /// </summary>
    public bool DurableDelivery { get; set; } = true;
}
