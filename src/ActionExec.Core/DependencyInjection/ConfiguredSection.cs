namespace ActionExec.DependencyInjection;

/// <summary>
/// Records that options of <see cref="OptionsType"/> were bound from the configuration section at <see cref="Path"/>, so that
/// their validator names the configuration key of a bad value (<c>ActionExec:Delivery:Workers</c>) beside the property.
/// </summary>
internal sealed record ConfiguredSection(Type OptionsType, string Path)
{
    /// <summary>
    /// How a validator names <paramref name="property"/> of <typeparamref name="TOptions"/>: <c>DeliveryOptions.Workers</c>, followed by
    /// <c>(configuration key ActionExec:Delivery:Workers)</c> when the options were bound from configuration.
    /// </summary>
    public static string Name<TOptions>(IEnumerable<ConfiguredSection>? sections, string property, int? index = null)
    {
        var name = index is { } i ? $"{typeof(TOptions).Name}.{property}[{i}]" : $"{typeof(TOptions).Name}.{property}";
        if (sections is null)
        {
            return name;
        }

        foreach (var section in sections)
        {
            if (section.OptionsType == typeof(TOptions))
            {
                var key = index is { } j ? $"{section.Path}:{property}:{j}" : $"{section.Path}:{property}";
                return $"{name} (configuration key {key})";
            }
        }

        return name;
    }
}
