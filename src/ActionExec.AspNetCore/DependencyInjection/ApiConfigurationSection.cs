namespace ActionExec.AspNetCore;

/// <summary>
/// The configuration section <see cref="ActionExecutionsApiOptions"/> were bound from, so that their validator names the
/// configuration key of a bad value (<c>ActionExec:Api:MaxRequestBodyBytes</c>) beside the property, and reports a key that moved
/// (<c>PermissionClaimType</c>, which would otherwise be ignored without a word).
/// </summary>
internal sealed record ApiConfigurationSection(string Path, bool HasPermissionClaimType = false)
{
    /// <summary><c>ActionExecutionsApiOptions.Property</c>, followed by its configuration key when the options were bound from configuration.</summary>
    public static string Name(ApiConfigurationSection? section, string property) =>
        section is null
            ? $"{nameof(ActionExecutionsApiOptions)}.{property}"
            : $"{nameof(ActionExecutionsApiOptions)}.{property} (configuration key {section.Path}:{property})";
}
