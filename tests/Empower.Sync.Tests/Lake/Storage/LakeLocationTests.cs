using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Tests.Lake.Storage;

public sealed class LakeLocationTests
{
    [Theory]
    [InlineData("abfss://lake@contoso.dfs.core.windows.net/exports/accounts", "https://contoso.blob.core.windows.net/", "lake", "exports/accounts")]
    [InlineData("https://contoso.blob.core.windows.net/lake/exports/accounts/", "https://contoso.blob.core.windows.net/", "lake", "exports/accounts")]
    [InlineData("https://contoso.dfs.core.windows.net/lake/exports", "https://contoso.blob.core.windows.net/", "lake", "exports")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/lake/t", "http://127.0.0.1:10000/devstoreaccount1", "lake", "t")]
    [InlineData("https://contoso.blob.core.windows.net/lake", "https://contoso.blob.core.windows.net/", "lake", "")]
    public void Storage_URLs_resolve_to_the_blob_endpoint_container_and_folder(string location, string endpoint, string container, string path)
    {
        var parsed = LakeLocation.Parse(location);

        Assert.False(parsed.IsLocal);
        Assert.Equal(endpoint, parsed.AccountEndpoint!.ToString());
        Assert.Equal(container, parsed.Container);
        Assert.Equal(path, parsed.Path);
    }

    [Theory]
    [InlineData("/data/lake/accounts")]
    [InlineData("relative/accounts")]
    [InlineData("file:///data/lake/accounts")]
    public void Paths_are_local(string location)
    {
        Assert.True(LakeLocation.Parse(location).IsLocal);
    }

    [Theory]
    [InlineData("abfss://contoso.dfs.core.windows.net/path", "abfss://<container>@<account>")]
    [InlineData("https://contoso.blob.core.windows.net/", "names no container")]
    [InlineData("s3://bucket/path", "scheme 's3'")]
    [InlineData(" ", "empty")]
    public void Bad_locations_are_explained(string location, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => LakeLocation.Parse(location));

        Assert.Contains(expected, error.Message);
    }
}
