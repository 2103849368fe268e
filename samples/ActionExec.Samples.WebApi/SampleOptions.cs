namespace ActionExec.Samples.WebApi;

/// <summary>
/// The sample's keys, section <c>ActionExec:Sample</c> of the standard configuration (appsettings.json, environment variables such
/// as <c>ActionExec__Sample__AdminKey</c>, command-line arguments such as <c>--ActionExec:Sample:AdminKey=…</c>). Two more settings
/// of the section are read where they are used: <c>ActionsEnabled</c> into <see cref="ActionExecutionOptions.ActionsEnabled"/>, so
/// that the engine's options do not wait for the keys to be valid, and <c>KeyRingPath</c> (<see cref="WebApiSample.KeyRingPathKey"/>)
/// when the services are registered.
/// </summary>
internal sealed class SampleOptions
{
    public const string SectionName = "ActionExec:Sample";

    /// <summary>The bearer key that holds every permission of the management API.</summary>
    public string AdminKey { get; set; } = "admin-dev-key";

    /// <summary>The bearer key that holds only <c>action.execution.read</c>, <c>action.target.read</c> and <c>action.delivery.read</c>.</summary>
    public string ReaderKey { get; set; } = "reader-dev-key";
}
