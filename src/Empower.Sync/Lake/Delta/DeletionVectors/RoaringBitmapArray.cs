using System.Buffers.Binary;

namespace Empower.Sync.Lake.Delta.DeletionVectors;

/// <summary>
/// Decodes Delta's deletion-vector payload: a magic number, then a "RoaringBitmapArray" — a count and, per high
/// 32 bits, a standard portable Roaring bitmap of the low 32 bits. Returns the deleted row indexes, ascending.
/// </summary>
internal static class RoaringBitmapArray
{
    public const int Magic = 1681511377;
    private const ushort SerialCookieNoRuns = 12346;
    private const ushort SerialCookie = 12347;
    private const int NoOffsetThreshold = 4;
    private const int ArrayContainerMax = 4096;

    public static long[] Decode(ReadOnlySpan<byte> data)
    {
        var reader = new SpanReader(data);
        int magic = reader.Int32();
        if (magic != Magic)
        {
            throw new FormatException($"The deletion vector starts with {magic}, not the RoaringBitmapArray magic number {Magic}.");
        }

        long bitmaps = reader.Int64();
        var rows = new List<long>();
        for (long b = 0; b < bitmaps; b++)
        {
            long high = (long)(uint)reader.Int32() << 32;
            ReadBitmap(ref reader, high, rows);
        }

        return [.. rows];
    }

    private static void ReadBitmap(ref SpanReader reader, long high, List<long> rows)
    {
        uint cookie = (uint)reader.Int32();
        int containers;
        byte[]? runFlags = null;
        if ((cookie & 0xFFFF) == SerialCookie)
        {
            containers = (int)(cookie >> 16) + 1;
            runFlags = reader.Bytes((containers + 7) / 8).ToArray();
        }
        else if (cookie == SerialCookieNoRuns)
        {
            containers = reader.Int32();
        }
        else
        {
            throw new FormatException($"The deletion vector holds an unknown Roaring bitmap cookie {cookie}.");
        }

        var keys = new ushort[containers];
        var cardinalities = new int[containers];
        for (int i = 0; i < containers; i++)
        {
            keys[i] = reader.UInt16();
            cardinalities[i] = reader.UInt16() + 1;
        }

        if (runFlags is null || containers >= NoOffsetThreshold)
        {
            reader.Bytes(4 * containers);
        }

        for (int i = 0; i < containers; i++)
        {
            long prefix = high | ((long)keys[i] << 16);
            if (runFlags is not null && (runFlags[i / 8] & (1 << (i % 8))) != 0)
            {
                int runs = reader.UInt16();
                for (int r = 0; r < runs; r++)
                {
                    int start = reader.UInt16();
                    int length = reader.UInt16();
                    for (int v = start; v <= start + length; v++)
                    {
                        rows.Add(prefix | (uint)v);
                    }
                }
            }
            else if (cardinalities[i] > ArrayContainerMax)
            {
                var words = reader.Bytes(8192);
                for (int w = 0; w < 1024; w++)
                {
                    ulong word = BinaryPrimitives.ReadUInt64LittleEndian(words.Slice(w * 8, 8));
                    while (word != 0)
                    {
                        int bit = System.Numerics.BitOperations.TrailingZeroCount(word);
                        rows.Add(prefix | (uint)((w * 64) + bit));
                        word &= word - 1;
                    }
                }
            }
            else
            {
                for (int v = 0; v < cardinalities[i]; v++)
                {
                    rows.Add(prefix | reader.UInt16());
                }
            }
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (_position + count > _data.Length)
            {
                throw new FormatException("The deletion vector is truncated.");
            }

            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));
    }
}
