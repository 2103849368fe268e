namespace ActionExec.AspNetCore.Dashboard;

/// <summary>The gate's answer for one dashboard request.</summary>
internal enum DashboardAccess
{
    /// <summary>The request may use the dashboard.</summary>
    Allowed,

    /// <summary>Nobody is signed in: 401.</summary>
    Unauthenticated,

    /// <summary>The user (or the anonymous request outside Development) may not: 403.</summary>
    Forbidden,
}
