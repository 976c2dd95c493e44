using System.Buffers;
using Empower.Sync.Lake.Parquet;
using Empower.Sync.Lake.Schema;
using Parquet;
using Parquet.Serialization;
using Parquet.Serialization.Attributes;

namespace Empower.Sync.Tests.Lake.Parquet;

/// <summary>
/// Leaf columns must read the same whatever the shared array pool holds: Parquet.Net's nullable read overloads take
/// definition levels from a pooled array they do not clear, so leftovers of earlier work once turned values of a
/// required column into nulls (and shifted the rest) under a busy test run.
/// </summary>
public sealed class LeafVectorReaderTests
{
    private const int Rows = 1000;

    public sealed class Address
    {
        public string? City { get; set; }

        public int Zip { get; set; }
    }

    public sealed class Customer
    {
        public long Id { get; set; }

        [ParquetRequired]
        public string Name { get; set; } = "";

        public DateTime Seen { get; set; }

        public int? Rank { get; set; }

        public string? Note { get; set; }

        public Address? Address { get; set; }
    }

    private static readonly List<Customer> Customers = Enumerable.Range(0, Rows).Select(i => new Customer
    {
        Id = 10_000 + i,
        Name = $"customer {i}",
        Seen = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i),
        Rank = i % 3 == 0 ? null : i,
        Note = i % 4 == 0 ? null : $"note {i}",
        // Every fifth customer has no address; every other one that has one has no city (the struct is there, its leaf is null).
        Address = i % 5 == 0 ? null : new Address { City = i % 2 == 0 ? null : $"city {i}", Zip = 1000 + i },
    }).ToList();

    [Fact]
    public async Task Required_and_optional_columns_read_right_after_the_pool_was_filled_with_leftovers()
    {
        var cells = await ReadAllAsync(poisonPool: true);

        Assert.Equal(Customers.Select(c => (object?)c.Id), cells["Id"]);
        Assert.Equal(Customers.Select(c => (object?)c.Name), cells["Name"]);
        Assert.Equal(Customers.Select(c => (object?)c.Seen), cells["Seen"]);
        Assert.Equal(Customers.Select(c => (object?)c.Rank), cells["Rank"]);
        Assert.Equal(Customers.Select(c => (object?)c.Note), cells["Note"]);
        Assert.Equal(Customers.Select(c => (object?)c.Address?.City), cells["Address.City"]);
        Assert.Equal(Customers.Select(c => (object?)c.Address?.Zip), cells["Address.Zip"]);
    }

    [Fact]
    public async Task A_clean_pool_reads_the_same()
    {
        Assert.Equal(await ReadAllAsync(poisonPool: false), await ReadAllAsync(poisonPool: true));
    }

    private static async Task<Dictionary<string, List<object?>>> ReadAllAsync(bool poisonPool)
    {
        using var stream = new MemoryStream();
        await ParquetSerializer.SerializeAsync(Customers, stream);
        stream.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(stream);
        var columns = ColumnFlattener.Flatten(ParquetSchemaReader.Read(reader.Schema, "customers.parquet"), []);
        using var rowGroup = reader.OpenRowGroupReader(0);
        var cells = new Dictionary<string, List<object?>>();
        foreach (var column in columns)
        {
            var field = reader.Schema.DataFields.Single(f => f.Path.ToList().SequenceEqual(column.Path.Select(p => p.Name)));
            if (poisonPool)
            {
                // A stream in memory keeps the whole read on this thread, so it rents what was just returned here.
                FillPoolWithLeftovers();
            }

            var vector = await LeafVectorReader.ReadAsync(rowGroup, field, column, CancellationToken.None);
            cells[column.Name] = Enumerable.Range(0, Rows).Select(vector.GetValue).ToList();
        }

        return cells;
    }

    private static void FillPoolWithLeftovers()
    {
        var rented = Enumerable.Range(0, 8).Select(_ => ArrayPool<int>.Shared.Rent(Rows)).ToList();
        foreach (var array in rented)
        {
            Array.Fill(array, -1);
            ArrayPool<int>.Shared.Return(array);
        }
    }
}
