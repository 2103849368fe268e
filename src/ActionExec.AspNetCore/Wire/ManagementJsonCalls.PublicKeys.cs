using ActionExec.Errors;
using ActionExec.Management;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>Adding a target's public key from its wire form: the permission first, then the body.</summary>
internal sealed partial class ManagementJsonCalls
{
    /// <summary>Adds a public key from the JSON body <c>{"publicKey": "&lt;base64 of the PEM&gt;", "expirationDate"}</c>.</summary>
    /// <exception cref="ActionExecException">As <see cref="IActionManagement.AddPublicKeyAsync"/>; a malformed body is <see cref="ActionExecErrorCode.InvalidArgument"/> with its path.</exception>
    public ValueTask<TargetPublicKey> AddPublicKeyFromJsonAsync(ManagementCaller caller, string targetId, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default) =>
        AddPublicKeyAsync(caller, targetId, () => PublicKeyWire.ReadAddRequest(utf8Json.Span), cancellationToken);

    /// <summary>
    /// Adds a public key from a request in its wire form, made by <paramref name="request"/> only once the permission is checked
    /// (the gRPC service maps its message onto it there); the key's bytes must be UTF-8 PEM text.
    /// </summary>
    /// <exception cref="ActionExecException">As <see cref="AddPublicKeyFromJsonAsync"/>, or as <paramref name="request"/> throws.</exception>
    public async ValueTask<TargetPublicKey> AddPublicKeyAsync(ManagementCaller caller, string targetId, Func<AddPublicKeyRequestJson> request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await AuthorizeAsync(caller, ActionPermissions.TargetWrite, cancellationToken).ConfigureAwait(false);
        var body = request();
        var pem = PublicKeyWire.ToPem(body.PublicKey);
        return await _management.AddPublicKeyAsync(caller, targetId, pem, body.ExpirationDate, cancellationToken).ConfigureAwait(false);
    }
}
