namespace ActionExec.AspNetCore.Wire;

/// <summary>
/// The v3alpha <c>SetExecution</c> response:
/// <c>{"details": {"sequence": "2", "changeDate": "2024-06-25T13:35:39.391Z", "resourceOwner": "69629023906488334"}}</c>.
/// </summary>
internal sealed record DetailsResponseJson
{
    /// <summary>The details of the change.</summary>
    public DetailsJson? Details { get; init; }
}
