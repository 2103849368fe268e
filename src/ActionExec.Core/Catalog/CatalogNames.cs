namespace ActionExec.Catalog;

/// <summary>
/// The names the discovery lists answer, from the catalog, for every transport (REST and gRPC list the same): its methods with
/// their leading <c>/</c> (registered, or declared by marked endpoints and mapped gRPC services: what SetExecution accepts), the
/// services they belong to, its functions, its event types and the event groups above them, each sorted. A section the host left
/// unrestricted lists nothing: every well-formed name is accepted there.
/// </summary>
internal static class CatalogNames
{
    public static IEnumerable<string> Methods(ActionCatalog catalog) =>
        (catalog.KnownMethods ?? []).Select(static m => m.StartsWith('/') ? m : "/" + m).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Services(ActionCatalog catalog) =>
        Methods(catalog).Select(static m => m[1..m.IndexOf('/', 1)]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Functions(ActionCatalog catalog) =>
        (catalog.Functions ?? []).Order(StringComparer.Ordinal);

    /// <summary>The event types, sorted.</summary>
    public static IEnumerable<string> Events(ActionCatalog catalog) =>
        (catalog.EventTypes ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The event groups: every proper dotted prefix of an event type (<c>user.human.added</c> gives <c>user.human</c> and <c>user</c>), without <c>.*</c>, sorted.</summary>
    public static IEnumerable<string> Groups(ActionCatalog catalog) =>
        (catalog.EventTypes ?? []).SelectMany(ActionCatalog.GroupsOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
}
