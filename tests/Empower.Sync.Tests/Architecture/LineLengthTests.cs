using Empower.Testing;

namespace Empower.Sync.Tests.Architecture;

/// <summary>
/// Lines of product code stay readable without scrolling (.editorconfig's max_line_length, which the compiler does
/// not check itself). Tests and benchmarks are left out: their long lines are inline JSON fixtures.
/// </summary>
public sealed class LineLengthTests
{
    private const int MaxLength = 160;

    [Fact]
    public void No_line_of_the_product_code_is_longer_than_160_characters()
    {
        string src = Path.Combine(RepositoryRoot.Path, "src");
        var longLines = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(Path.GetRelativePath(src, file)))
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, number: index + 1, line.Length)))
            .Where(line => line.Length > MaxLength)
            .Select(line => $"{Path.GetRelativePath(RepositoryRoot.Path, line.file)}:{line.number} ({line.Length} characters)")
            .ToList();

        Assert.True(longLines.Count == 0, $"Wrap these lines at {MaxLength} characters:\n{string.Join('\n', longLines)}");
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj");
}
