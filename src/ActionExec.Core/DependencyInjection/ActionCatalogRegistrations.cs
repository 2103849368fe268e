using ActionExec.Catalog;

namespace ActionExec.DependencyInjection;

/// <summary>The catalog configurations registered through the builder, applied in order to one <see cref="ActionCatalogBuilder"/>.</summary>
internal sealed class ActionCatalogRegistrations
{
    public List<Action<ActionCatalogBuilder>> Configure { get; } = [];

    public ActionCatalog Build()
    {
        if (Configure.Count == 0)
        {
            return ActionCatalog.Unrestricted;
        }

        var builder = new ActionCatalogBuilder();
        foreach (var configure in Configure)
        {
            configure(builder);
        }

        return builder.Build();
    }
}
