namespace ActionExec.PostgreSql.Tests.Support;

/// <summary>The fixture finds the server binaries where distributions put them, and says in one line how to get them.</summary>
public sealed class PostgresServerTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("actionexec-find-");

    [Fact]
    public void FindBinaries_NowhereToBeFound_IsNullAndTheHintIsOneLineSayingWhatToInstall()
    {
        var found = PostgresServer.FindBinaries(string.Empty, () => null, Path.Combine(_root.FullName, "absent"));

        Assert.Null(found);
        Assert.DoesNotContain('\n', PostgresServer.InstallHint);
        Assert.EndsWith("apt-get install -y postgresql", PostgresServer.InstallHint, StringComparison.Ordinal);
    }

    [Fact]
    public void FindBinaries_OnPath_IsThatFolder()
    {
        var bin = ServerFolder("path-bin");

        Assert.Equal(bin, PostgresServer.FindBinaries(string.Join(Path.PathSeparator, "/nonexistent", bin), () => null, "/nonexistent"));
    }

    [Fact]
    public void FindBinaries_OnlyThroughPgConfig_IsItsBindir()
    {
        var bin = ServerFolder("pg-config-bin");

        Assert.Equal(bin, PostgresServer.FindBinaries("/nonexistent", () => bin, "/nonexistent"));
    }

    [Fact]
    public void FindBinaries_OnlyInDebiansFolders_IsTheNewestVersion()
    {
        var debian = Path.Combine(_root.FullName, "postgresql");
        ServerFolder(Path.Combine("postgresql", "14", "bin"));
        var newest = ServerFolder(Path.Combine("postgresql", "15", "bin"));

        Assert.Equal(newest, PostgresServer.FindBinaries(string.Empty, () => null, debian));
    }

    public void Dispose() => _root.Delete(recursive: true);

    private string ServerFolder(string relative)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, relative)).FullName;
        File.WriteAllText(Path.Combine(folder, "initdb"), string.Empty);
        File.WriteAllText(Path.Combine(folder, "pg_ctl"), string.Empty);
        return folder;
    }
}
