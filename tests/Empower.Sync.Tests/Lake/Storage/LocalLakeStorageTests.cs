using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Tests.Lake.Storage;

public sealed class LocalLakeStorageTests : LakeStorageContract, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("empower-lake-").FullName;

    protected override Task<ILakeStorage> CreateAsync() =>
        Task.FromResult<ILakeStorage>(new LocalLakeStorage(Path.Combine(_root, Guid.NewGuid().ToString("N"))));

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
