namespace ActionExec.Management;

/// <summary>How a text filter compares (ZITADEL's <c>zitadel.filter.v2.TextFilterMethod</c>, in its order).</summary>
public enum TextFilterMethod
{
    /// <summary>The whole value equals the text (ordinal).</summary>
    Exact,

    /// <summary>The whole value equals the text, ignoring case.</summary>
    ExactIgnoreCase,

    /// <summary>The value starts with the text (ordinal).</summary>
    StartsWith,

    /// <summary>The value starts with the text, ignoring case.</summary>
    StartsWithIgnoreCase,

    /// <summary>The value contains the text (ordinal).</summary>
    Contains,

    /// <summary>The value contains the text, ignoring case.</summary>
    ContainsIgnoreCase,

    /// <summary>The value ends with the text (ordinal).</summary>
    EndsWith,

    /// <summary>The value ends with the text, ignoring case.</summary>
    EndsWithIgnoreCase,
}
