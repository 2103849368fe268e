using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ActionExec.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in this assembly under <c>ActionExecDashboard/</c> and read once: each with its content
/// type and a strong ETag from its SHA-256, answered with <c>Cache-Control: no-cache</c> so that a browser revalidates and gets a
/// 304 while the package is the same, and the new file as soon as it is not.
/// </summary>
internal sealed class DashboardAssets
{
    private const string ResourcePrefix = "ActionExecDashboard/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    private DashboardAssets(FrozenDictionary<string, Asset> assets) => _assets = assets;

    /// <summary>The assets of this assembly, loaded once per process.</summary>
    public static DashboardAssets Shared { get; } = Load(typeof(DashboardAssets).Assembly);

    /// <summary>The relative paths of every asset, such as <c>index.html</c> and <c>pages/targets.js</c>.</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    /// <summary>Writes the asset at <paramref name="path"/>, or a 304 when the request's <c>If-None-Match</c> names its ETag.</summary>
    /// <returns><see langword="false"/> when there is no such asset (nothing was written).</returns>
    public async Task<bool> TryWriteAsync(HttpContext context, string path)
    {
        if (!_assets.TryGetValue(path, out var asset))
        {
            return false;
        }

        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Contains(asset.ETag, StringComparison.Ordinal)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
        }

        return true;
    }

    private static DashboardAssets Load(Assembly assembly)
    {
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            var extension = Path.GetExtension(path);
            var contentType = ContentTypes.GetValueOrDefault(extension, "application/octet-stream");
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 16)) + "\"").ToString();
            assets[path] = new Asset(content, contentType, etag);
        }

        return new DashboardAssets(assets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag);
}
