namespace Empower.Testing.Lake;

/// <summary>A writable copy of a test table in a temporary folder, for tests that damage or edit it.</summary>
public sealed class TempTable : IDisposable
{
    private TempTable(string path) => Path = path;

    public string Path { get; }

    public static TempTable Copy(string table)
    {
        var target = new TempTable(System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"empower-{table}-{Guid.NewGuid():N}"));
        string source = TestTables.DeltaPath(table);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = System.IO.Path.Combine(target.Path, System.IO.Path.GetRelativePath(source, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            System.IO.File.Copy(file, destination);
            System.IO.File.SetAttributes(destination, FileAttributes.Normal);
        }

        return target;
    }

    public static TempTable Empty() => new(Directory.CreateTempSubdirectory("empower-empty-").FullName);

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
