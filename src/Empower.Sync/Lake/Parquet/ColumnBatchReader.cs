using Empower.Sync.Lake.Rows;
using Empower.Sync.Lake.Schema;
using ParquetSharp;

namespace Empower.Sync.Lake.Parquet;

/// <summary>
/// Reads a top-level, non-repeated column of one row group a batch at a time with ParquetSharp (Apache Arrow's C++
/// Parquet), so a row group of millions of rows is read in the memory of one batch. Only columns the file stores with
/// the type the table declares are read this way (<see cref="TryOpen"/>); the others take the whole-chunk path.
/// </summary>
internal abstract class ColumnBatchReader : IDisposable
{
    private const long UnixEpochJulianDay = 2_440_588;

    public abstract ColumnVector Read(int rows);

    public abstract void Skip(long rows);

    public abstract void Dispose();

    /// <summary>A batch reader for the column, or null when the file stores it in a way only the whole-chunk path reads.</summary>
    public static ColumnBatchReader? TryOpen(RowGroupReader rowGroup, int index, LakeColumn column)
    {
        var descriptor = rowGroup.MetaData.Schema.Column(index);
        if (descriptor.MaxRepetitionLevel != 0 || descriptor.MaxDefinitionLevel > 1 || !Stores(descriptor, column.Type))
        {
            return null;
        }

        var reader = rowGroup.Column(index);
        return column.Type switch
        {
            LakeColumnType.Boolean => Values<bool>(reader, column),
            LakeColumnType.Byte => Values<sbyte>(reader, column),
            LakeColumnType.Short => Values<short>(reader, column),
            LakeColumnType.Integer => Values<int>(reader, column),
            LakeColumnType.Long => Values<long>(reader, column),
            LakeColumnType.Float => Values<float>(reader, column),
            LakeColumnType.Double => Values<double>(reader, column),
            LakeColumnType.Decimal => Values<decimal>(reader, column),
            LakeColumnType.Date => new Converting<Date, DateOnly>(reader, column, d => DateOnly.FromDateTime(d.DateTime)),
            LakeColumnType.Timestamp or LakeColumnType.TimestampNtz when descriptor.PhysicalType == PhysicalType.Int96 =>
                new Converting<Int96, DateTime>(reader, column, Int96Converter(column.Type)),
            LakeColumnType.Timestamp => new Timestamps(reader, column, DateTimeKind.Utc),
            LakeColumnType.TimestampNtz => new Timestamps(reader, column, DateTimeKind.Unspecified),
            LakeColumnType.String => new References<string>(reader, column),
            LakeColumnType.Binary => new References<byte[]>(reader, column),
            _ => throw new InvalidOperationException($"No batch reader for {column.Type}."),
        };
    }

    /// <summary>Whether the stored physical and logical type are exactly what the table's type is read from.</summary>
    private static bool Stores(ColumnDescriptor descriptor, LakeColumnType type)
    {
        using var logical = descriptor.LogicalType;
        return (type, descriptor.PhysicalType, logical) switch
        {
            (LakeColumnType.Boolean, PhysicalType.Boolean, NoneLogicalType) => true,
            (LakeColumnType.Byte, PhysicalType.Int32, IntLogicalType { BitWidth: 8, IsSigned: true }) => true,
            (LakeColumnType.Short, PhysicalType.Int32, IntLogicalType { BitWidth: 16, IsSigned: true }) => true,
            (LakeColumnType.Integer, PhysicalType.Int32, NoneLogicalType or IntLogicalType { BitWidth: 32, IsSigned: true }) => true,
            (LakeColumnType.Long, PhysicalType.Int64, NoneLogicalType or IntLogicalType { BitWidth: 64, IsSigned: true }) => true,
            (LakeColumnType.Float, PhysicalType.Float, NoneLogicalType) => true,
            (LakeColumnType.Double, PhysicalType.Double, NoneLogicalType) => true,
            (LakeColumnType.Decimal, PhysicalType.Int32 or PhysicalType.Int64 or PhysicalType.FixedLenByteArray,
                DecimalLogicalType { Precision: <= 28 }) => true,
            (LakeColumnType.Date, PhysicalType.Int32, DateLogicalType) => true,
            (LakeColumnType.Timestamp or LakeColumnType.TimestampNtz, PhysicalType.Int96, NoneLogicalType) => true,
            (LakeColumnType.Timestamp or LakeColumnType.TimestampNtz, PhysicalType.Int64,
                TimestampLogicalType { TimeUnit: TimeUnit.Millis or TimeUnit.Micros }) => true,
            (LakeColumnType.String, PhysicalType.ByteArray, StringLogicalType) => true,
            (LakeColumnType.Binary, PhysicalType.ByteArray, NoneLogicalType) => true,
            _ => false,
        };
    }

    /// <summary>INT96 (Spark's legacy timestamps): nanoseconds of the day in the first 8 bytes, the Julian day in the last 4.</summary>
    private static Func<Int96, DateTime> Int96Converter(LakeColumnType type)
    {
        var kind = type == LakeColumnType.Timestamp ? DateTimeKind.Utc : DateTimeKind.Unspecified;
        return value =>
        {
            long nanos = (long)(((ulong)(uint)value.B << 32) | (uint)value.A);
            long ticks = ((value.C - UnixEpochJulianDay) * TimeSpan.TicksPerDay) + (nanos / 100);
            return new DateTime(DateTime.UnixEpoch.Ticks + ticks, kind);
        };
    }

    private static void Fill<T>(LogicalColumnReader<T> reader, T[] buffer)
    {
        int read = 0;
        while (read < buffer.Length && reader.HasNext)
        {
            read += reader.ReadBatch(buffer.AsSpan(read));
        }

        if (read != buffer.Length)
        {
            throw new InvalidDataException($"the column chunk ended after {read} of {buffer.Length} rows");
        }
    }

    private static Converting<T, T> Values<T>(ColumnReader reader, LakeColumn column)
        where T : struct => new(reader, column, null);

    /// <summary>
    /// Value cells. Required columns are read as such and lifted to nullable cells: ParquetSharp's nullable override
    /// of a required decimal column reads past its buffer.
    /// </summary>
    private sealed class Converting<TStored, TCell>(ColumnReader reader, LakeColumn column, Func<TStored, TCell>? convert) : ColumnBatchReader
        where TStored : struct
        where TCell : struct
    {
        private readonly LogicalColumnReader<TStored>? _required = reader.ColumnDescriptor.MaxDefinitionLevel == 0 ? reader.LogicalReader<TStored>() : null;
        private readonly LogicalColumnReader<TStored?>? _optional = reader.ColumnDescriptor.MaxDefinitionLevel == 0 ? null : reader.LogicalReader<TStored?>();

        public override ColumnVector Read(int rows)
        {
            TStored?[] stored;
            if (_required is not null)
            {
                var values = new TStored[rows];
                Fill(_required, values);
                stored = Array.ConvertAll(values, v => (TStored?)v);
            }
            else
            {
                stored = new TStored?[rows];
                Fill(_optional!, stored);
            }

            return new ValueVector<TCell>(column, convert is null ? (TCell?[])(object)stored
                : Array.ConvertAll(stored, v => v is { } value ? convert(value) : (TCell?)null));
        }

        public override void Skip(long rows)
        {
            if (_required is not null)
            {
                _required.Skip(rows);
            }
            else
            {
                _optional!.Skip(rows);
            }
        }

        public override void Dispose()
        {
            _required?.Dispose();
            _optional?.Dispose();
            reader.Dispose();
        }
    }

    /// <summary>INT64 timestamps, given the kind the table's type means, in place.</summary>
    private sealed class Timestamps(ColumnReader reader, LakeColumn column, DateTimeKind kind) : ColumnBatchReader
    {
        private readonly Converting<DateTime, DateTime> _values = new(reader, column, null);

        public override ColumnVector Read(int rows)
        {
            var vector = (ValueVector<DateTime>)_values.Read(rows);
            var values = vector.Values;
            for (int r = 0; r < values.Length; r++)
            {
                if (values[r] is { } value)
                {
                    values[r] = DateTime.SpecifyKind(value, kind);
                }
            }

            return vector;
        }

        public override void Skip(long rows) => _values.Skip(rows);

        public override void Dispose() => _values.Dispose();
    }

    private sealed class References<T>(ColumnReader reader, LakeColumn column) : ColumnBatchReader
        where T : class
    {
        private readonly LogicalColumnReader<T?> _values = reader.LogicalReader<T?>();

        public override ColumnVector Read(int rows)
        {
            var values = new T?[rows];
            Fill(_values, values);
            return new ReferenceVector<T>(column, values);
        }

        public override void Skip(long rows) => _values.Skip(rows);

        public override void Dispose()
        {
            _values.Dispose();
            reader.Dispose();
        }
    }
}
