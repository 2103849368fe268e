using System.Buffers;
using System.Globalization;

namespace ActionExec.PostgreSql.Migrations;

/// <summary>The one rule for a schema name, and the names derived from it.</summary>
internal static class SchemaName
{
    private static readonly SearchValues<char> Start = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_");
    private static readonly SearchValues<char> Part = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Returns why <paramref name="schema"/> cannot be used (a sentence fragment that follows the option's name), or null when it can.</summary>
    public static string? Check(string? schema)
    {
        if (string.IsNullOrEmpty(schema))
        {
            return $"is empty; give a schema name such as '{PostgreSqlStoreOptions.DefaultSchema}' (the default).";
        }

        var shown = schema.Length > 60 ? string.Concat(schema.AsSpan(0, 60), "…") : schema;
        if (schema.Length > PostgreSqlStoreOptions.MaxSchemaLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is '{shown}', which has {schema.Length} characters; give at most {PostgreSqlStoreOptions.MaxSchemaLength}.");
        }

        if (!Start.Contains(schema[0]) || schema.AsSpan(1).ContainsAnyExcept(Part))
        {
            return $"is '{shown}', which is not a plain lower-case identifier; use lower-case letters a-z, digits and underscores, starting with a letter or an underscore (for example '{PostgreSqlStoreOptions.DefaultSchema}').";
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when <paramref name="schema"/> cannot be used.</summary>
    public static void ThrowIfInvalid(string schema, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(schema, parameterName);
        if (Check(schema) is { } problem)
        {
            throw new ArgumentException("The schema " + problem, parameterName);
        }
    }

    /// <summary>The channel every commit notifies and every instance listens on.</summary>
    public static string Channel(string schema) => schema + "_changes";

    /// <summary>The channel the durable delivery queue notifies when a delivery is added or becomes due again.</summary>
    public static string DeliveriesChannel(string schema) => schema + "_deliveries";

    /// <summary>The name whose hash is the advisory lock that serialises migrations of one schema.</summary>
    public static string LockName(string schema) => "actionexec.migrations." + schema;
}
