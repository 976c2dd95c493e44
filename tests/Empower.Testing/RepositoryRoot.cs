namespace Empower.Testing;

/// <summary>Finds the repository root (the folder holding package.json and the solution) from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The shared test data folder (<c>../shared/testdata</c> beside the repository).</summary>
    public static string SharedTestData => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared", "testdata"));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Empower.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Empower.Functions.sln above {AppContext.BaseDirectory}: run the tests from a checkout of the repository.");
    }
}
