using System.Globalization;
using Empower.Dataverse.Emulator.Options;
using Empower.Dataverse.Emulator.Schema;
using Empower.Shared;
using Microsoft.Data.Sqlite;

namespace Empower.Dataverse.Emulator.Store;

/// <summary>
/// SQLite storage: one SQL table per Dataverse table, a unique index per alternate key. Access is serialised through one
/// connection (SQLite has a single writer anyway); units of work nest as savepoints so a failed change set or bulk
/// request rolls back whole.
/// </summary>
public sealed class RecordStore : IDisposable
{
    /// <summary>The SQL collation of text columns: the org's (<see cref="TextCollation"/>).</summary>
    public const string CollationName = "DATAVERSE";

    /// <summary>SQL function folding text as the collation compares it, for <c>LIKE</c>, which ignores collations.</summary>
    public const string FoldFunction = "dataverse_fold";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly StoreSession _session;
    private readonly Action<TableCounts> _onCommit;

    public RecordStore(EmulatorSchema schema, StorageOptions options, TextCollation collation, TimeProvider time, Action<TableCounts> onCommit)
    {
        Schema = schema;
        _onCommit = onCommit;
        var connectionString = string.IsNullOrWhiteSpace(options.Path)
            ? $"Data Source=emulator-{Guid.NewGuid():N};Mode=Memory;Cache=Private"
            : new SqliteConnectionStringBuilder { DataSource = options.Path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        bool accentInsensitive = collation == TextCollation.AccentInsensitive;
        _connection.CreateCollation(CollationName, (x, y) => TextFolding.Compare(x, y, accentInsensitive));
        _connection.CreateFunction(FoldFunction, (string? text) => text is null ? null : TextFolding.Fold(text, accentInsensitive), isDeterministic: true);
        Execute(string.IsNullOrWhiteSpace(options.Path) ? "PRAGMA journal_mode=MEMORY" : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
        foreach (var table in schema.Tables)
        {
            CreateTable(table);
        }

        _session = new StoreSession(_connection, schema, time, ReadMaxVersion());
    }

    public EmulatorSchema Schema { get; }

    /// <summary>Runs <paramref name="work"/> atomically; nested calls (e.g. one operation of a change set) become savepoints.</summary>
    public T Transact<T>(Func<StoreSession, T> work)
    {
        lock (_gate)
        {
            var counts = _session.Begin();
            try
            {
                var result = work(_session);
                if (_session.Commit())
                {
                    _onCommit(counts);
                }

                return result;
            }
            catch
            {
                _session.Rollback();
                throw;
            }
        }
    }

    public long Count(TableDefinition table) => Transact(s => s.Count(table, "", []));

    /// <summary>Deletes every record (used by <c>POST /_emulator/reset</c>).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var table in Schema.Tables)
            {
                Execute($"DELETE FROM \"{table.LogicalName}\"");
                if (table.ChangeTracking)
                {
                    Execute($"DELETE FROM \"{table.TombstoneTable}\"");
                }
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _connection.Dispose();
    }

    private void CreateTable(TableDefinition table)
    {
        var columns = table.Attributes.Values.Select(a => a.IsPrimaryId
            ? $"\"{a.LogicalName}\" TEXT PRIMARY KEY NOT NULL"
            : $"\"{a.LogicalName}\" {SqlType(a.Type)}");
        Execute($"CREATE TABLE IF NOT EXISTS \"{table.LogicalName}\" ({string.Join(", ", columns)}, createdon TEXT NOT NULL, modifiedon TEXT NOT NULL, " +
            $"versionnumber INTEGER NOT NULL)");
        AddNewAttributes(table);
        foreach (var key in table.Keys)
        {
            Execute($"CREATE UNIQUE INDEX IF NOT EXISTS \"ix_{table.LogicalName}_{key.LogicalName}\" ON \"{table.LogicalName}\" " +
                $"({string.Join(", ", key.Attributes.Select(a => $"\"{a}\""))})");
        }

        Execute($"CREATE INDEX IF NOT EXISTS \"ix_{table.LogicalName}_versionnumber\" ON \"{table.LogicalName}\" (versionnumber)");
        if (table.ChangeTracking)
        {
            Execute($"CREATE TABLE IF NOT EXISTS \"{table.TombstoneTable}\" (id TEXT PRIMARY KEY NOT NULL, versionnumber INTEGER NOT NULL, " +
                $"deletedon TEXT NOT NULL)");
        }

        foreach (var lookup in table.Attributes.Values.Where(a => a.Type == AttributeType.Lookup))
        {
            Execute($"CREATE INDEX IF NOT EXISTS \"ix_{table.LogicalName}_{lookup.LogicalName}\" ON \"{table.LogicalName}\" (\"{lookup.LogicalName}\")");
        }
    }

    /// <summary>
    /// A schema that adds an attribute to a table of an existing store file adds its column, null for every record, as
    /// creating a column in Dataverse does (no record changes, so change tracking reports none). The column of an
    /// attribute the schema no longer has stays in the file but is not served, as a deleted column's values are gone.
    /// </summary>
    private void AddNewAttributes(TableDefinition table)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = $"SELECT name FROM pragma_table_info('{table.LogicalName}')";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var attribute in table.Attributes.Values.Where(a => !existing.Contains(a.LogicalName)))
        {
            Execute($"ALTER TABLE \"{table.LogicalName}\" ADD COLUMN \"{attribute.LogicalName}\" {SqlType(attribute.Type)}");
        }
    }

    private long ReadMaxVersion()
    {
        long max = 0;
        foreach (var table in Schema.Tables)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = table.ChangeTracking
                ? $"SELECT MAX((SELECT COALESCE(MAX(versionnumber), 0) FROM \"{table.LogicalName}\"), (SELECT COALESCE(MAX(versionnumber), 0) FROM " +
                    $"\"{table.TombstoneTable}\"))"
                : $"SELECT COALESCE(MAX(versionnumber), 0) FROM \"{table.LogicalName}\"";
            max = Math.Max(max, Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        return max;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string SqlType(AttributeType type) => type switch
    {
        AttributeType.Integer or AttributeType.Choice or AttributeType.Boolean => "INTEGER",
        AttributeType.Double => "REAL",
        // Keys, lookups by key and $filter compare as the org's collation does: "ABC" matches "abc", and "café" "cafe" unless accent-sensitive.
        AttributeType.String or AttributeType.Memo => $"TEXT COLLATE {CollationName}",
        _ => "TEXT",
    };
}
