namespace ActionExec.PostgreSql.DependencyInjection;

/// <summary>
/// Records that the options were bound from configuration, so that the validator names the configuration key of a bad value
/// (<c>ActionExec:PostgreSql:PollInterval</c>) beside the property.
/// </summary>
internal sealed class PostgreSqlConfigured
{
    public static readonly PostgreSqlConfigured Instance = new();

    /// <summary>How the validator names a property: <c>PostgreSqlStoreOptions.Schema</c>, with its configuration key when bound from configuration.</summary>
    public static string Name(bool configured, string property) => !configured
        ? "PostgreSqlStoreOptions." + property
        : string.Equals(property, nameof(PostgreSqlStoreOptions.ConnectionString), StringComparison.Ordinal)
            ? $"PostgreSqlStoreOptions.{property} (configuration key ConnectionStrings:{Microsoft.Extensions.DependencyInjection.PostgreSqlBuilderExtensions.ConnectionStringName})"
            : $"PostgreSqlStoreOptions.{property} (configuration key {Microsoft.Extensions.DependencyInjection.PostgreSqlBuilderExtensions.ConfigurationSection}:{property})";
}
