using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActionExec.Conditions;
using ActionExec.Errors;

namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// Turns a <see cref="JsonException"/> into a <see cref="FieldViolation"/> whose field is the JSON path of the
/// problem and whose description names the property and says what is valid, without the .NET type names of
/// the serializer's own messages. It walks the serializer's path through the contract metadata to tell an
/// unknown property from a value of the wrong JSON type.
/// </summary>
internal static class JsonFailure
{
    /// <summary>Describes a failure of a serializer call as one violation.</summary>
    /// <param name="exception">The failure of a serializer call.</param>
    /// <param name="root">The metadata that call started from.</param>
    /// <param name="rootName">The property that holds the root value, when the call read a nested value; null for a body.</param>
    public static FieldViolation Describe(JsonException exception, JsonTypeInfo root, string? rootName = null)
    {
        var field = ToField(exception.Path);
        if (exception is JsonWireException wire)
        {
            return new FieldViolation(Join(field, wire.RelativeField), wire.Message);
        }

        if (exception.InnerException is JsonException reader)
        {
            // The reader's message ends with its own position; ours is 1-based and names the path.
            var reason = reader.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = (cut < 0 ? reason : reason[..cut]).TrimEnd();
            return new FieldViolation(field, $"The body is not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}: {reason} Send a complete JSON object.");
        }

        var segments = Segments(exception.Path);
        JsonTypeInfo? type = root;
        for (var i = 0; i < segments.Count && type is not null; i++)
        {
            var name = segments[i];
            if (name is null)
            {
                type = type.ElementType is { } element ? root.Options.GetTypeInfo(element) : null;
                continue;
            }

            var property = type.Kind == JsonTypeInfoKind.Object ? FindProperty(type, name) : null;
            if (property is null)
            {
                return i == segments.Count - 1 && type.Kind == JsonTypeInfoKind.Object
                    ? new FieldViolation(field, UnknownProperty(name, type.Properties.Select(p => p.Name)))
                    : Unexpected(field);
            }

            type = root.Options.GetTypeInfo(property.PropertyType);
        }

        if (type is null)
        {
            return Unexpected(field);
        }

        var subject = segments.Count == 0 ? (rootName is null ? "The body" : $"The property '{rootName}'")
            : segments[^1] is { } last ? $"The property '{last}'"
            : $"The item {field}";
        return new FieldViolation(field, $"{subject} must be {Expected(type)}.");
    }

    /// <summary><c>$.targets[1].include</c> becomes <c>targets[1].include</c>; the root is the empty string.</summary>
    public static string ToField(string? path) =>
        path is null || path.Length <= 1 ? "" : path[1] == '.' ? path[2..] : path[1..];

    /// <summary>Appends a relative field (<c>include.request</c> or <c>[0]</c>) to a field path.</summary>
    public static string Join(string field, string relative) =>
        relative.Length == 0 ? field
        : field.Length == 0 ? relative
        : relative[0] == '[' ? field + relative
        : field + "." + relative;

    /// <summary>The property names of a serializer path, with <see langword="null"/> for an array index.</summary>
    private static List<string?> Segments(string? path)
    {
        var segments = new List<string?>();
        var i = 1;
        while (path is not null && i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.AsSpan(i + 1).IndexOfAny('.', '[');
                end = end < 0 ? path.Length : i + 1 + end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['", StringComparison.Ordinal))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                segments.Add(null);
                i = end < 0 ? path.Length : end + 1;
            }
        }

        return segments;
    }

    private static JsonPropertyInfo? FindProperty(JsonTypeInfo type, string name)
    {
        foreach (var property in type.Properties)
        {
            if (string.Equals(property.Name, name, StringComparison.Ordinal))
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>Names the unknown property and lists the known ones.</summary>
    public static string UnknownProperty(string name, IEnumerable<string> known)
    {
        var names = known.Select(n => $"'{n}'").ToList();
        var use = names.Count switch
        {
            0 => "this object takes no properties",
            1 => "use " + names[0],
            _ => "use " + string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
        };
        return $"The property '{ConditionRules.Shorten(name)}' is not known here; {use}.";
    }

    private static string Expected(JsonTypeInfo type)
    {
        if (type.Kind is JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary)
        {
            return "a JSON object";
        }

        if (type.Kind == JsonTypeInfoKind.Enumerable)
        {
            return "a JSON array";
        }

        var clr = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
        return clr == typeof(string) ? "a string"
            : clr == typeof(bool) ? "true or false"
            : clr == typeof(int) ? "an integer"
            : clr == typeof(ulong) ? "a non-negative integer, written as a string such as \"2\""
            : "a value of another JSON type";
    }

    private static FieldViolation Unexpected(string field) =>
        new(field, "The value does not have the expected shape; compare it with the documented JSON of this request.");
}
