using System.Text;
using ActionExec.Errors;
using ActionExec.Targets;

namespace ActionExec.AspNetCore.Wire;

/// <summary>Reads and writes the public-key messages of ZITADEL's GA actions API, for the HTTP handlers and the gRPC services alike.</summary>
internal static class PublicKeyWire
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ActionExecJsonContext Context => ActionExecJsonContext.Default;

    /// <summary>Reads the body of AddPublicKey; an unknown property or a value of the wrong shape is <see cref="ActionExecErrorCode.InvalidArgument"/> with its path.</summary>
    public static AddPublicKeyRequestJson ReadAddRequest(ReadOnlySpan<byte> utf8Json) =>
        ActionExecJson.Read(utf8Json, Context.AddPublicKeyRequestJson);

    /// <summary>Reads the optional body of ListPublicKeys: none, <c>{}</c> or <c>{"targetId"}</c>.</summary>
    public static void ReadListRequest(ReadOnlySpan<byte> utf8Json)
    {
        if (!utf8Json.IsEmpty)
        {
            _ = ActionExecJson.Read(utf8Json, Context.ListPublicKeysRequestJson);
        }
    }

    /// <summary>
    /// The PEM text of a <c>publicKey</c> given as bytes: UTF-8 text, or <see cref="ActionExecErrorCode.InvalidArgument"/> on
    /// <c>publicKey</c>. Absent bytes read as empty text, which the key rules refuse in their own words.
    /// </summary>
    public static string ToPem(ReadOnlySpan<byte> bytes)
    {
        // Longer than the rule allows: decoding would only waste work, and the rule names the size either way.
        if (bytes.Length > PublicKeyPem.MaxBytes)
        {
            throw ActionExecException.InvalidArgument(
                "publicKey",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The public key is {bytes.Length} bytes long; give at most {PublicKeyPem.MaxBytes} bytes of PEM."));
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ActionExecException.InvalidArgument(
                "publicKey",
                "The public key is not text: its bytes are not UTF-8. Send the base64 of the key's PEM text (-----BEGIN PUBLIC KEY----- …).");
        }
    }

    /// <summary>Writes <c>{"keyId", "creationDate"}</c>.</summary>
    public static byte[] WriteAddResponse(TargetPublicKey key) =>
        ActionExecJson.Write(new AddPublicKeyResponseJson { KeyId = key.KeyId, CreationDate = key.CreationDate }, Context.AddPublicKeyResponseJson);

    /// <summary>Writes <c>{"changeDate"}</c>.</summary>
    public static byte[] WriteChangeDateResponse(DateTimeOffset changeDate) =>
        ActionExecJson.Write(new ChangeDateResponseJson { ChangeDate = changeDate }, Context.ChangeDateResponseJson);

    /// <summary>Writes <c>{"publicKeys": [ … ]}</c>, always with the list.</summary>
    public static byte[] WriteList(IEnumerable<TargetPublicKey> keys) =>
        ActionExecJson.Write(new ListPublicKeysResponseJson { PublicKeys = [.. keys.Select(PublicKeyJson.FromModel)] }, Context.ListPublicKeysResponseJson);
}
