using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ActionExec.Targets;

/// <summary>
/// The one place that decides whether a text is a public key a target may hold: exactly one PEM block, <c>PUBLIC KEY</c>
/// (SubjectPublicKeyInfo) or <c>RSA PUBLIC KEY</c> (PKCS#1), at most <see cref="MaxBytes"/> bytes, an RSA key of at least
/// <see cref="MinRsaBits"/> bits or an EC key on P-256, P-384 or P-521. Nothing that names a private key is accepted.
/// The key is kept re-encoded as a <c>PUBLIC KEY</c> block, so that no text the caller wrapped around it is ever stored.
/// </summary>
internal static class PublicKeyPem
{
    /// <summary>The most bytes (UTF-8) a key's PEM may have, as ZITADEL limits it.</summary>
    public const int MaxBytes = 8192;

    /// <summary>The smallest RSA key accepted.</summary>
    public const int MinRsaBits = 2048;

    private const string SpkiLabel = "PUBLIC KEY";
    private const string Pkcs1Label = "RSA PUBLIC KEY";

    // The OIDs of the named curves ZITADEL's ECDH-ES can use: P-256, P-384, P-521.
    private static readonly Dictionary<string, string> Curves = new(StringComparer.Ordinal)
    {
        ["1.2.840.10045.3.1.7"] = "P-256",
        ["1.3.132.0.34"] = "P-384",
        ["1.3.132.0.35"] = "P-521",
    };

    private static readonly Dictionary<string, string> CurveNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nistP256"] = "P-256",
        ["ECDSA_P256"] = "P-256",
        ["secp256r1"] = "P-256",
        ["prime256v1"] = "P-256",
        ["nistP384"] = "P-384",
        ["ECDSA_P384"] = "P-384",
        ["secp384r1"] = "P-384",
        ["nistP521"] = "P-521",
        ["ECDSA_P521"] = "P-521",
        ["secp521r1"] = "P-521",
    };

    /// <summary>Checks <paramref name="text"/> and, when it is an acceptable public key, returns it normalised with its fingerprint.</summary>
    /// <param name="text">The PEM text as the caller gave it.</param>
    /// <param name="problem">When it is not acceptable: what is wrong and how to fix it, as a whole sentence.</param>
    /// <returns>The key, or <see langword="null"/> with <paramref name="problem"/> set.</returns>
    public static ParsedPublicKey? Parse(string? text, out string? problem)
    {
        problem = Check(text, out var key);
        return key;
    }

    /// <summary>Imports a key this class accepted (a <see cref="TargetPublicKey.PublicKey"/>): an <see cref="RSA"/> or an <see cref="ECDsa"/> the caller disposes.</summary>
    /// <param name="pem">The key's <c>PUBLIC KEY</c> block.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The text is not an RSA or EC public key.</exception>
    public static AsymmetricAlgorithm Import(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch
        {
            ec.Dispose();
            throw;
        }
    }

    /// <summary>The fingerprint of a DER SubjectPublicKeyInfo: <c>SHA256:</c> and the base64 of its SHA-256 without padding.</summary>
    public static string Fingerprint(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(subjectPublicKeyInfo, hash);
        return "SHA256:" + Convert.ToBase64String(hash).TrimEnd('=');
    }

    private static string? Check(string? text, out ParsedPublicKey? key)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "The public key is empty; give an RSA or EC public key in PEM format (-----BEGIN PUBLIC KEY-----).";
        }

        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxBytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The public key is {bytes} bytes long; give at most {MaxBytes} bytes of PEM.");
        }

        // Checked on the raw text, before anything is parsed: a private key is refused even where it is not a well-formed block.
        if (text.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase))
        {
            return "The text contains a private key; never send a private key. Give only its public key (for example the output of 'openssl pkey -pubout').";
        }

        var blocks = FindBlocks(text);
        if (blocks.Count == 0)
        {
            return "The public key is not PEM; give one block that starts with -----BEGIN PUBLIC KEY----- and ends with -----END PUBLIC KEY-----.";
        }

        if (blocks.Count > 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The text contains {blocks.Count} PEM blocks; give exactly one public key.");
        }

        var (label, range) = blocks[0];
        if (string.Equals(label, "CERTIFICATE", StringComparison.Ordinal))
        {
            return "The PEM block is a certificate; give its public key instead (for example the output of 'openssl x509 -pubkey -noout').";
        }

        if (label is not (SpkiLabel or Pkcs1Label))
        {
            return $"The PEM block is labelled '{Errors.MessageText.Shorten(label)}'; give a block labelled PUBLIC KEY (or RSA PUBLIC KEY).";
        }

        var block = text.AsSpan(range);
        using var rsa = RSA.Create();
        if (TryImport(rsa, block))
        {
            if (rsa.KeySize < MinRsaBits)
            {
                return string.Create(CultureInfo.InvariantCulture, $"The RSA key has {rsa.KeySize} bits; give a key of at least {MinRsaBits} bits.");
            }

            key = Normalised(rsa.ExportSubjectPublicKeyInfo(), PublicKeyAlgorithm.Rsa);
            return null;
        }

        using var ec = ECDsa.Create();
        if (string.Equals(label, SpkiLabel, StringComparison.Ordinal) && TryImport(ec, block))
        {
            var curve = CurveOf(ec);
            if (curve is null)
            {
                return $"The EC key is on the curve '{Errors.MessageText.Shorten(DescribeCurve(ec))}'; give a key on P-256, P-384 or P-521.";
            }

            key = Normalised(ec.ExportSubjectPublicKeyInfo(), PublicKeyAlgorithm.EC);
            return null;
        }

        return string.Equals(label, Pkcs1Label, StringComparison.Ordinal)
            ? "The RSA PUBLIC KEY block does not hold a valid RSA public key; export the key again (for example with 'openssl pkey -pubout')."
            : "The PUBLIC KEY block holds neither an RSA nor an EC key (Ed25519 and others cannot encrypt a JWE); give an RSA key of at least 2048 bits or an EC key on P-256, P-384 or P-521.";
    }

    private static List<(string Label, Range Location)> FindBlocks(string text)
    {
        var blocks = new List<(string, Range)>();
        var offset = 0;
        while (offset < text.Length && PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var start = offset + fields.Location.Start.Value;
            var end = offset + fields.Location.End.Value;
            blocks.Add((text[(offset + fields.Label.Start.Value)..(offset + fields.Label.End.Value)], start..end));
            offset = end;
        }

        return blocks;
    }

    private static bool TryImport(AsymmetricAlgorithm key, ReadOnlySpan<char> block)
    {
        try
        {
            key.ImportFromPem(block);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string? CurveOf(ECDsa ec)
    {
        ECParameters parameters;
        try
        {
            parameters = ec.ExportParameters(includePrivateParameters: false);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var curve = parameters.Curve;
        if (!curve.IsNamed)
        {
            return null;
        }

        if (curve.Oid.Value is { } value && Curves.TryGetValue(value, out var name))
        {
            return name;
        }

        return curve.Oid.FriendlyName is { } friendly && CurveNames.TryGetValue(friendly, out name) ? name : null;
    }

    private static string DescribeCurve(ECDsa ec)
    {
        try
        {
            var curve = ec.ExportParameters(includePrivateParameters: false).Curve;
            return curve.IsNamed ? curve.Oid.FriendlyName ?? curve.Oid.Value ?? "unnamed" : "explicit parameters";
        }
        catch (CryptographicException)
        {
            return "unknown";
        }
    }

    private static ParsedPublicKey Normalised(byte[] subjectPublicKeyInfo, PublicKeyAlgorithm algorithm) =>
        new(PemEncoding.WriteString(SpkiLabel, subjectPublicKeyInfo), Fingerprint(subjectPublicKeyInfo), algorithm);
}
