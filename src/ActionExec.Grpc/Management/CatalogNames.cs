using ActionExec.Catalog;

namespace ActionExec.Grpc.Management;

/// <summary>
/// The names the discovery methods list, from the catalog: its methods with their leading <c>/</c> (registered, or declared by
/// marked endpoints and mapped gRPC services: what SetExecution accepts), the services they belong to, and its functions, each
/// sorted. A section the host left unrestricted lists nothing: every well-formed name is accepted there.
/// </summary>
internal static class CatalogNames
{
    public static IEnumerable<string> Methods(ActionCatalog catalog) =>
        (catalog.KnownMethods ?? []).Select(static m => m.StartsWith('/') ? m : "/" + m).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Services(ActionCatalog catalog) =>
        Methods(catalog).Select(static m => m[1..m.IndexOf('/', 1)]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Functions(ActionCatalog catalog) =>
        (catalog.Functions ?? []).Order(StringComparer.Ordinal);
}
