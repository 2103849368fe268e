using System.Collections.Frozen;

namespace ActionExec.Catalog;

/// <summary>A set of full methods (<c>/service/method</c>, already validated) and the services they belong to.</summary>
internal sealed class CatalogMethods
{
    private CatalogMethods(FrozenSet<string> methods)
    {
        Methods = methods;
        Services = methods.Select(ServiceOf).ToFrozenSet(StringComparer.Ordinal);
        Paths = PathsOf(methods);
    }

    /// <summary>No methods.</summary>
    public static CatalogMethods Empty { get; } = new(FrozenSet<string>.Empty);

    /// <summary>The full methods, with their leading <c>/</c>.</summary>
    public FrozenSet<string> Methods { get; }

    /// <summary>The services of <see cref="Methods"/>.</summary>
    public FrozenSet<string> Services { get; }

    /// <summary>The methods without their leading <c>/</c>, looked up by span so a flow's name needs no string of its own.</summary>
    public FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Paths { get; }

    /// <summary>The lookup of <paramref name="methods"/> (each with its leading <c>/</c>) by their paths without it.</summary>
    public static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PathsOf(IEnumerable<string> methods) =>
        methods.Select(static m => m[1..]).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The set of <paramref name="methods"/>, each a valid full method with its leading <c>/</c>.</summary>
    public static CatalogMethods Of(IEnumerable<string> methods) => new(methods.ToFrozenSet(StringComparer.Ordinal));

    /// <summary>The service of a full method: <c>/pkg.v1.Service/Method</c> gives <c>pkg.v1.Service</c>.</summary>
    public static string ServiceOf(string method) => method[1..method.IndexOf('/', 1)];
}
