namespace ActionExec.Targets;

/// <summary>A public key as <see cref="PublicKeyPem"/> accepted it.</summary>
/// <param name="Pem">The key as a <c>PUBLIC KEY</c> block.</param>
/// <param name="Fingerprint">Its <c>SHA256:</c> fingerprint.</param>
/// <param name="Algorithm">RSA or EC.</param>
internal sealed record ParsedPublicKey(string Pem, string Fingerprint, PublicKeyAlgorithm Algorithm);
