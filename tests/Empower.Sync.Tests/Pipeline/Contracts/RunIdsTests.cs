using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Contracts;

namespace Empower.Sync.Tests.Pipeline.Contracts;

public sealed class RunIdsTests
{
    [Fact]
    public void A_run_id_is_the_UTC_second_it_started()
    {
        Assert.Equal("20261126T155343Z", RunIds.At(new DateTimeOffset(2026, 11, 26, 16, 53, 43, 999, TimeSpan.FromHours(1))));
    }

    [Theory]
    [InlineData("20261126T155343Z")]
    [InlineData("nightly-1")]
    [InlineData("replay_2.v3")]
    public void Letters_digits_dashes_underscores_and_dots_make_a_run_id(string runId) => Assert.Null(RunIds.Problem(runId));

    [Theory]
    [InlineData("../../escaped-run")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("naïve")]
    public void A_run_id_that_could_name_another_folder_is_refused(string runId) =>
        Assert.StartsWith($"the run id '{runId}' must be 1 to 100 letters", RunIds.Problem(runId));

    [Fact]
    public void A_run_id_longer_than_the_maximum_is_refused() => Assert.NotNull(RunIds.Problem(new string('a', RunIds.MaxLength + 1)));

    [Theory]
    [InlineData("../outside.json")]
    [InlineData("runs/../../outside.json")]
    [InlineData("/etc/passwd")]
    public async Task Local_storage_refuses_a_path_that_leaves_its_folder(string path)
    {
        using var folder = Testing.Lake.TempTable.Empty();
        var storage = new LocalLakeStorage(Path.Combine(folder.Path, "state"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteIfAbsentAsync(path, new byte[] { 1 }));

        Assert.Contains($"The path '{path}' leaves the storage folder", error.Message);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(folder.Path), p => Path.GetFileName(p) != "state");
    }
}
