using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ActionExec.AspNetCore.Tests.Reliability;

/// <summary>
/// A JSON tree that can hold what a parser must reject as well as what it accepts: an object is a list of properties, so a
/// name can occur twice; a <see cref="Raw"/> token is written as given (<c>1e999</c>, <c>NaN</c>, <c>"\uD800"</c>); a string
/// may hold lone surrogates, which are written as escapes because UTF-8 cannot carry them.
/// </summary>
internal abstract class FuzzJson
{
    /// <summary>The JSON text.</summary>
    public string Write()
    {
        var text = new StringBuilder();
        WriteTo(text);
        return text.ToString();
    }

    public abstract void WriteTo(StringBuilder text);

    /// <summary>A deep copy, so a template can be mutated without changing it.</summary>
    public abstract FuzzJson Clone();

    public static FuzzJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

    public static Str S(string value) => new(value);

    public static Raw R(string token) => new(token);

    public static Obj O(params (string Name, FuzzJson Value)[] properties) => new([.. properties]);

    public static Arr A(params FuzzJson[] items) => new([.. items]);

    private static FuzzJson From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new Obj([.. element.EnumerateObject().Select(p => (p.Name, From(p.Value)))]),
        JsonValueKind.Array => new Arr([.. element.EnumerateArray().Select(From)]),
        JsonValueKind.String => new Str(element.GetString()!),
        _ => new Raw(element.GetRawText()),
    };

    internal sealed class Obj(List<(string Name, FuzzJson Value)> properties) : FuzzJson
    {
        public List<(string Name, FuzzJson Value)> Properties { get; } = properties;

        public override void WriteTo(StringBuilder text)
        {
            text.Append('{');
            for (var i = 0; i < Properties.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                WriteString(text, Properties[i].Name);
                text.Append(':');
                Properties[i].Value.WriteTo(text);
            }

            text.Append('}');
        }

        public override FuzzJson Clone() => new Obj([.. Properties.Select(p => (p.Name, p.Value.Clone()))]);
    }

    internal sealed class Arr(List<FuzzJson> items) : FuzzJson
    {
        public List<FuzzJson> Items { get; } = items;

        public override void WriteTo(StringBuilder text)
        {
            text.Append('[');
            for (var i = 0; i < Items.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                Items[i].WriteTo(text);
            }

            text.Append(']');
        }

        public override FuzzJson Clone() => new Arr([.. Items.Select(i => i.Clone())]);
    }

    internal sealed class Str(string value) : FuzzJson
    {
        public string Value { get; } = value;

        public override void WriteTo(StringBuilder text) => WriteString(text, Value);

        public override FuzzJson Clone() => this;
    }

    /// <summary>A token written exactly as given: a number, <c>true</c>, <c>false</c>, <c>null</c>, or anything else.</summary>
    internal sealed class Raw(string token) : FuzzJson
    {
        public string Token { get; } = token;

        public override void WriteTo(StringBuilder text) => text.Append(Token);

        public override FuzzJson Clone() => this;
    }

    /// <summary>Escapes what JSON requires, control characters and lone surrogates; everything else is written as is.</summary>
    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[i + 1]);
                i++;
            }
            else if (c is '"' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}
