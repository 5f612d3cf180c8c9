using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SlaPolicy.Host.Web;

/// <summary>
/// Serves the support leads' page: static HTML, CSS and vanilla JavaScript embedded in the executable, so the
/// page works wherever the binary runs and needs no build step.
/// </summary>
internal static class PageEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/index.html", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
    ];

    public static void Map(WebApplication app)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            app.MapGet(path, () => Results.Bytes(bytes, contentType));
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(PageEndpoints).Assembly.GetManifestResourceStream($"SlaPolicy.Host.Web.wwwroot.{name}")
            ?? throw new InvalidOperationException($"embedded page file `{name}` is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
