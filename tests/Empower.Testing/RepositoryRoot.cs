namespace Empower.Testing;

/// <summary>Finds the repository root (the folder holding package.json and the solution) from the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>Real Delta tables and Parquet files written by Spark and other engines (<c>tests/testdata</c>, see its README).</summary>
    public static string TestData => System.IO.Path.Combine(Path, "tests", "testdata");

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
