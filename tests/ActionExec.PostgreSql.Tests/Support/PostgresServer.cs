using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the test run: <c>initdb</c> into a temporary folder, started with <c>pg_ctl</c> on a free
/// loopback port with fsync off, stopped and deleted at the end. PostgreSQL refuses to run as root, so as root both run as
/// the <c>postgres</c> OS user. Without server binaries it fails, saying how to install them: the tests are never skipped.
/// The benchmarks and the soak compile this file too (linked), to start a throwaway server of their own; the test fixture's
/// part is in <c>PostgresServer.Fixture.cs</c>.
/// </summary>
public sealed partial class PostgresServer
{
    public const string InstallHint = "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, through 'pg_config --bindir', or under /usr/lib/postgresql/*/bin; install them with: apt-get install -y postgresql";

    private const string Database = "actionexec_tests";
    private static int s_schemas;

    private string _root = string.Empty;
    private string _data = string.Empty;
    private string _binaries = string.Empty;

    public int Port { get; private set; }

    /// <summary>More server settings for <c>postgres -o</c>, such as <c>-c shared_preload_libraries=pg_stat_statements</c>; none by default.</summary>
    public string ExtraSettings { get; init; } = string.Empty;

    /// <summary>The connection string of the tests' database.</summary>
    public string ConnectionString => ConnectionStringOf(Database);

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t" + Interlocked.Increment(ref s_schemas).ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];

    public string ConnectionStringOf(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true;Timeout=10;Command Timeout=30";

    public async Task InitializeAsync()
    {
        _binaries = FindBinaries(Environment.GetEnvironmentVariable("PATH"), PgConfigBindir, "/usr/lib/postgresql") ?? throw new InvalidOperationException(InstallHint);
        if (Environment.IsPrivilegedProcess && !File.ReadLines("/etc/passwd").Any(l => l.StartsWith("postgres:", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("PostgreSQL refuses to run as root, and there is no 'postgres' OS user to run it as; install the server with: apt-get install -y postgresql (which creates the user), or run the tests as another user.");
        }

        _root = Directory.CreateTempSubdirectory("actionexec-pg-").FullName;
        _data = Path.Combine(_root, "data");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }

        await RunServerToolAsync("initdb", ["-D", _data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        Port = FreeLoopbackPort();
        await StartAsync();

        var admin = new NpgsqlConnection(ConnectionStringOf("postgres"));
        await using (admin)
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Database}", admin);
            await create.ExecuteNonQueryAsync();
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_data.Length > 0 && Directory.Exists(_data))
        {
            await RunServerToolAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"], throwOnFailure: false);
        }

        if (_root.Length > 0 && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>
    /// Stops the server as an operator restarting it would (<c>pg_ctl stop -m fast</c>): every connection is cut, every open
    /// transaction rolled back; committed data stays in the data folder.
    /// </summary>
    public Task StopAsync() => RunServerToolAsync("pg_ctl", ["-D", _data, "-m", "fast", "-w", "-t", "30", "stop"]);

    /// <summary>Starts the server on its data folder and port: at the end of <see cref="InitializeAsync"/>, and again after <see cref="StopAsync"/>.</summary>
    public Task StartAsync() => RunServerToolAsync("pg_ctl", [
        "-D", _data, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "30",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300 -c unix_socket_directories={_root} {ExtraSettings}",
        "start",
    ]);

    /// <summary>Opens a connection of its own to the tests' database, outside any store's pool.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs one statement on a connection of its own.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Where the server binaries are: a folder on PATH, then <c>pg_config --bindir</c>, then the newest Debian version folder.</summary>
    internal static string? FindBinaries(string? pathVariable, Func<string?> pgConfigBindir, string debianRoot)
    {
        static bool HasServer(string? folder) =>
            !string.IsNullOrEmpty(folder) && File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

        foreach (var folder in (pathVariable ?? string.Empty).Split(Path.PathSeparator))
        {
            if (HasServer(folder))
            {
                return folder;
            }
        }

        var bindir = pgConfigBindir();
        if (HasServer(bindir))
        {
            return bindir;
        }

        return Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot).Select(v => Path.Combine(v, "bin")).Where(HasServer).OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    private static string? PgConfigBindir()
    {
        try
        {
            return RunAsync("pg_config", ["--bindir"]).GetAwaiter().GetResult().Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return null;
        }
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task<string> RunServerToolAsync(string tool, IReadOnlyList<string> arguments, bool throwOnFailure = true)
    {
        var path = Path.Combine(_binaries, tool);
        return Environment.IsPrivilegedProcess
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], throwOnFailure)
            : RunAsync(path, arguments, throwOnFailure);
    }

    private static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }

        return await output;
    }
}
