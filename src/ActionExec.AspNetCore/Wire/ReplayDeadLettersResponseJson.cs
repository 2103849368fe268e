namespace ActionExec.AspNetCore.Wire;

/// <summary>The answer of <c>POST /v2/actions/deliveries/replay</c>: <c>{"replayed": 3}</c>, how many dead letters are due again.</summary>
internal sealed record ReplayDeadLettersResponseJson
{
    /// <summary>How many dead letters were replayed.</summary>
    public int Replayed { get; init; }
}
