namespace ActionExec.Samples.Tests.Support;

/// <summary>The browser tests of the dashboard: one browser and one sample for all of them, run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardBrowser>
{
    public const string Name = "Dashboard";
}
