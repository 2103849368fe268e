namespace ActionExec.Catalog;

/// <summary>
/// Methods a host declares outside the catalog, such as the endpoints the ASP.NET Core package finds marked with
/// <c>WithExecutionMethod</c>. They join a catalog whose methods section the host filled; an unrestricted section stays
/// unrestricted. Read on every check, so a source may change (endpoints are mapped after the services are built).
/// </summary>
internal interface ICatalogMethodSource
{
    /// <summary>The declared methods now, and their services.</summary>
    CatalogMethods Current { get; }
}
