using System.Runtime.InteropServices;

namespace Empower.Sync.Pipeline.Planning.Duplicates;

/// <summary>
/// Every row's key hash, partition and row id, spread over temporary files by the hash's top bits, so the keys of a
/// table of any size are compared a bucket at a time: Plan's memory is bounded by a bucket, not the table.
/// </summary>
internal sealed class KeyBuckets : IDisposable
{
    /// <summary>Rows per bucket, on average: 28 bytes each, so a bucket sorts in a few MiB.</summary>
    private const long RowsPerBucket = 250_000;

    /// <summary>At most 4,096 buckets, chosen by the hash's top 12 bits.</summary>
    private const int MaxBits = 12;

    private readonly string _folder = Directory.CreateTempSubdirectory("empower-keys-").FullName;
    private readonly FileStream[] _files;
    private readonly int _bits;
    private readonly Lock _lock = new();

    public KeyBuckets(long rows)
    {
        while (_bits < MaxBits && (RowsPerBucket << _bits) < rows)
        {
            _bits++;
        }

        _files = [.. Enumerable.Range(0, 1 << _bits).Select(b => new FileStream(Path.Combine(_folder, $"{b}.keys"), FileMode.Create, FileAccess.ReadWrite,
            FileShare.None, 1 << 16))];
    }

    public int Count => _files.Length;

    /// <summary>Adds one partition's keys (from any thread).</summary>
    public void Add(IReadOnlyList<KeyEntry> entries)
    {
        lock (_lock)
        {
            foreach (var entry in entries)
            {
                _files[(int)(entry.Hash >> (128 - MaxBits)) >> (MaxBits - _bits)].Write(MemoryMarshal.AsBytes(new ReadOnlySpan<KeyEntry>(in entry)));
            }
        }
    }

    /// <summary>The entries of one bucket, sorted by key hash, then partition, then row id: file order within each key.</summary>
    public KeyEntry[] Read(int bucket)
    {
        var file = _files[bucket];
        var entries = new KeyEntry[file.Length / Marshal.SizeOf<KeyEntry>()];
        file.Position = 0;
        file.ReadExactly(MemoryMarshal.AsBytes(entries.AsSpan()));
        file.SetLength(0);
        Array.Sort(entries);
        return entries;
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }

        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>A row's key hash, its partition and its id within the partition.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal readonly record struct KeyEntry(UInt128 Hash, int Partition, long Row) : IComparable<KeyEntry>
{
    public int CompareTo(KeyEntry other)
    {
        int byHash = Hash.CompareTo(other.Hash);
        return byHash != 0 ? byHash : Partition != other.Partition ? Partition.CompareTo(other.Partition) : Row.CompareTo(other.Row);
    }
}
