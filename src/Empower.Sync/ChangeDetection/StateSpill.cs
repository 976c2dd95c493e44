namespace Empower.Sync.ChangeDetection;

/// <summary>
/// State entries spread over buckets in scratch files of a temporary folder (deleted on dispose), read back a bucket
/// at a time in the order they were added. Local disk and buffered binary writes: the spill is the process's own
/// scratch, never part of the lake, and costs a buffer per bucket in memory.
/// </summary>
internal sealed class StateSpill : IDisposable
{
    private const int BufferBytes = 1 << 16;

    private readonly string _folder = Directory.CreateTempSubdirectory("empower-state-compaction-").FullName;
    private readonly BinaryWriter?[] _writers;

    public StateSpill(int buckets) => _writers = new BinaryWriter?[buckets];

    public void Add(int bucket, StateEntry entry)
    {
        var writer = _writers[bucket] ??= new BinaryWriter(new FileStream(PathOf(bucket), FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes));
        writer.Write(entry.Key);
        writer.Write(entry.Hash);
        WriteOptional(writer, entry.KeyValues);
        writer.Write(entry.Deleted);
        WriteOptional(writer, entry.RunId);
        writer.Write(entry.PublishedAt?.UtcTicks ?? 0);
    }

    /// <summary>The entries of <paramref name="bucket"/>, in the order they were added; the bucket can be read once.</summary>
    public IEnumerable<StateEntry> Read(int bucket)
    {
        if (_writers[bucket] is not { } writer)
        {
            yield break;
        }

        writer.Dispose();
        _writers[bucket] = null;
        using var reader = new BinaryReader(new FileStream(PathOf(bucket), FileMode.Open, FileAccess.Read, FileShare.None, BufferBytes,
            FileOptions.DeleteOnClose));
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            string key = reader.ReadString();
            string hash = reader.ReadString();
            string? values = ReadOptional(reader);
            bool deleted = reader.ReadBoolean();
            string? run = ReadOptional(reader);
            long ticks = reader.ReadInt64();
            yield return new StateEntry(key, hash, values, deleted, run, ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero));
        }
    }

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer?.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }

    private string PathOf(int bucket) => Path.Combine(_folder, $"{bucket:D6}.bin");

    private static void WriteOptional(BinaryWriter writer, string? text)
    {
        writer.Write(text is not null);
        if (text is not null)
        {
            writer.Write(text);
        }
    }

    private static string? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
