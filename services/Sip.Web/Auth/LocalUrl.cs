namespace Sip.Web.Auth;

/// <summary>Return URLs come from query strings anyone can write: only a path on this site is followed.</summary>
internal static class LocalUrl
{
    public static string OrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";
}
