namespace Empower.Sync.Lake.Storage;

/// <summary>
/// Where a table lives: a local folder, or a container + folder of a storage account addressed as
/// <c>abfss://container@account.dfs.core.windows.net/path</c>, <c>https://account.blob.core.windows.net/container/path</c>
/// (the <c>dfs</c> host is mapped to the <c>blob</c> endpoint), or an emulator's path-style URL
/// <c>http://127.0.0.1:10000/account/container/path</c>.
/// </summary>
internal sealed record LakeLocation(string? LocalPath, Uri? AccountEndpoint, string? Container, string Path)
{
    public bool IsLocal => LocalPath is not null;

    public static LakeLocation Parse(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ArgumentException("The lake location is empty: give a folder path or an abfss:// / https:// URL.", nameof(location));
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.IsFile || uri.Scheme.Length == 1)
        {
            return new LakeLocation(uri?.IsFile == true ? uri.LocalPath : location, null, null, "");
        }

        string[] segments = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        switch (uri.Scheme)
        {
            case "abfss" or "abfs":
                if (string.IsNullOrEmpty(uri.UserInfo) || !uri.Host.Contains(".dfs.", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"'{location}' is not an ADLS Gen2 URL of the form " +
                        $"abfss://<container>@<account>.dfs.core.windows.net/<path>.", nameof(location));
                }

                return new LakeLocation(null, BlobEndpoint(uri.Host), uri.UserInfo, string.Join('/', segments));
            case "https" or "http":
                bool pathStyle = uri.IsLoopback || System.Net.IPAddress.TryParse(uri.Host, out _);
                int skip = pathStyle ? 1 : 0;
                if (segments.Length <= skip)
                {
                    throw new ArgumentException($"'{location}' names no container: expected " +
                        $"https://<account>.blob.core.windows.net/<container>/<path>.", nameof(location));
                }

                var endpoint = pathStyle
                    ? new Uri($"{uri.Scheme}://{uri.Authority}/{segments[0]}")
                    : BlobEndpoint(uri.Host);
                return new LakeLocation(null, endpoint, segments[skip], string.Join('/', segments.Skip(skip + 1)));
            default:
                throw new ArgumentException($"'{location}' uses the scheme '{uri.Scheme}'; use a folder path, abfss:// or https://.", nameof(location));
        }
    }

    private static Uri BlobEndpoint(string host) =>
        new($"https://{host.Replace(".dfs.", ".blob.", StringComparison.OrdinalIgnoreCase)}");
}
