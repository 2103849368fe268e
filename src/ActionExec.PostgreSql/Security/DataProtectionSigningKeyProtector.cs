using Microsoft.AspNetCore.DataProtection;

namespace ActionExec.PostgreSql.Security;

/// <summary>
/// The default <see cref="ISigningKeyProtector"/>: ASP.NET Core Data Protection with a purpose of its own. Instances share what
/// they protect only when they share the key ring and the application name (<c>PersistKeysTo…</c>, <c>SetApplicationName</c>).
/// </summary>
internal sealed class DataProtectionSigningKeyProtector(IDataProtectionProvider provider) : ISigningKeyProtector
{
    public const string Purpose = "ActionExec.PostgreSql.SigningKeys.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string signingKey) => _protector.Protect(signingKey);

    public string Unprotect(string protectedSigningKey) => _protector.Unprotect(protectedSigningKey);
}
