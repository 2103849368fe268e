using System.Globalization;

namespace ActionExec.Soak;

/// <summary>
/// The command line of the soak: <c>--seconds N</c>, how long the load runs before it drains (default 20), and <c>--postgres</c>,
/// to run the same loads on the PostgreSQL store and queue of a throwaway server the soak starts and removes itself.
/// </summary>
internal sealed record SoakOptions
{
    public const double MaxSeconds = 24 * 60 * 60;

    public double Seconds { get; init; } = 20;

    public bool Postgres { get; init; }

    /// <summary>Reads the arguments; returns null and says why in <paramref name="error"/> when they are not understood.</summary>
    public static SoakOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (string.Equals(args[i], "--seconds", StringComparison.Ordinal) && i + 1 < args.Count)
            {
                if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > MaxSeconds || double.IsNaN(seconds))
                {
                    error = $"--seconds is '{args[i]}'; give a number of seconds greater than 0 and at most {MaxSeconds}, such as 20.";
                    return null;
                }

                options = options with { Seconds = seconds };
            }
            else if (string.Equals(args[i], "--postgres", StringComparison.Ordinal))
            {
                options = options with { Postgres = true };
            }
            else
            {
                error = $"The argument '{args[i]}' is not understood; the options are --seconds N, such as --seconds 20, and --postgres.";
                return null;
            }
        }

        error = null;
        return options;
    }
}
