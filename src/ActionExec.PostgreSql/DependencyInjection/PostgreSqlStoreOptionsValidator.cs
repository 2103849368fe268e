using ActionExec.PostgreSql.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ActionExec.PostgreSql.DependencyInjection;

/// <summary>Validates <see cref="PostgreSqlStoreOptions"/>, listing every problem at once.</summary>
internal sealed class PostgreSqlStoreOptionsValidator(PostgreSqlDataSourceProvider dataSource, PostgreSqlConfigured? configured = null)
    : IValidateOptions<PostgreSqlStoreOptions>
{
    private readonly bool _configured = configured is not null;

    public static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan MaxPollInterval = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var failures = new List<string>();
        if (!dataSource.HasDataSource && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add(Name(nameof(options.ConnectionString)) + " is empty; pass a connection string or an NpgsqlDataSource to AddPostgreSql, or set ConnectionStrings:ActionExec in the configuration.");
        }
        else if (!dataSource.HasDataSource && ConnectionStringProblem(options.ConnectionString!) is { } problem)
        {
            // Npgsql's message names the keyword, never the value: the string may hold a password.
            failures.Add($"{Name(nameof(options.ConnectionString))} is not a valid Npgsql connection string ({problem}); see https://www.npgsql.org/doc/connection-string-parameters.html.");
        }

        if (SchemaName.Check(options.Schema) is { } schemaProblem)
        {
            failures.Add(Name(nameof(options.Schema)) + " " + schemaProblem);
        }

        if (options.PollInterval < MinPollInterval || options.PollInterval > MaxPollInterval)
        {
            failures.Add($"{Name(nameof(options.PollInterval))} is {options.PollInterval}; give a duration from 00:00:00.010 to 01:00:00 (the default is 00:00:05).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Name(string property) => PostgreSqlConfigured.Name(_configured, property);

    private static string? ConnectionStringProblem(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
