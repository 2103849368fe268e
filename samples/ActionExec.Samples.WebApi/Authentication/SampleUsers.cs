using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using ActionExec.Management;

namespace ActionExec.Samples.WebApi.Authentication;

/// <summary>
/// The sample's two users, each known by its key: the administrator holds every permission of the management API, the reader only
/// the three read permissions, each as a <c>permission</c> claim (what the default permission checker reads). The bearer scheme of
/// the API and the dashboard's sign-in both make their user here.
/// </summary>
internal static class SampleUsers
{
    private static readonly string[] AdminPermissions =
    [
        ActionPermissions.TargetRead, ActionPermissions.TargetWrite, ActionPermissions.ExecutionRead, ActionPermissions.ExecutionWrite,
        ActionPermissions.DeliveryRead, ActionPermissions.DeliveryWrite,
    ];

    private static readonly string[] ReaderPermissions = [ActionPermissions.ExecutionRead, ActionPermissions.TargetRead, ActionPermissions.DeliveryRead];

    /// <summary>The user whose key is <paramref name="key"/>, authenticated by <paramref name="scheme"/>; null for an unknown key.</summary>
    public static ClaimsPrincipal? ForKey(string key, SampleOptions keys, string scheme)
    {
        (string User, string[] Permissions)? caller =
            KeyEquals(key, keys.AdminKey) ? ("admin", AdminPermissions)
            : KeyEquals(key, keys.ReaderKey) ? ("reader", ReaderPermissions)
            : null;
        if (caller is not { } known)
        {
            return null;
        }

        Claim[] claims = [new("sub", known.User), .. known.Permissions.Select(static p => new Claim("permission", p))];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, "sub", ClaimTypes.Role));
    }

    /// <summary>Compares in constant time, so that the answer's timing does not tell how much of a guessed key was right.</summary>
    private static bool KeyEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
