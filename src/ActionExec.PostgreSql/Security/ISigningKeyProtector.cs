namespace ActionExec.PostgreSql.Security;

/// <summary>
/// Encrypts targets' signing keys before the store writes them, and decrypts them when it loads a tenant, so that no row
/// holds a key in plaintext. The default uses ASP.NET Core Data Protection; register your own (for example one backed by a
/// key vault) as a singleton to replace it. Every instance of a host must be able to read what any instance protected.
/// </summary>
public interface ISigningKeyProtector
{
    /// <summary>Encrypts a signing key.</summary>
    /// <param name="signingKey">The key in plaintext.</param>
    /// <returns>The protected form, stored as text; it must not contain the plaintext.</returns>
    string Protect(string signingKey);

    /// <summary>Decrypts what <see cref="Protect(string)"/> returned, on this instance or any other of the host.</summary>
    /// <param name="protectedSigningKey">The protected form.</param>
    /// <returns>The key in plaintext.</returns>
    string Unprotect(string protectedSigningKey);
}
