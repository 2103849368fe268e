using System.Globalization;

namespace ActionExec.PostgreSql.Benchmarks;

/// <summary>Reads <c>--name value</c> options of the command line.</summary>
internal static class BenchmarkOptions
{
    public static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (string.Equals(args[i], name, StringComparison.Ordinal))
            {
                return int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                    ? value
                    : throw new ArgumentException($"{name} is '{args[i + 1]}'; give a whole number greater than 0.", nameof(args));
            }
        }

        return fallback;
    }
}
