using System.Globalization;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Microsoft.Data.Sqlite;

namespace Empower.Dataverse.Emulator.Store;

/// <summary>Record operations inside a <see cref="RecordStore.Transact{T}"/> unit of work. Stored values are string, long or double.</summary>
public sealed class StoreSession : IDisposable
{
    private const string SystemColumns = "createdon, modifiedon, versionnumber";
    private const int MaxCachedCommands = 512;
    private readonly SqliteConnection _connection;
    private readonly EmulatorSchema _schema;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Stack<TableCounts> _levels = new();
    private SqliteTransaction? _transaction;
    private long _version;

    internal StoreSession(SqliteConnection connection, EmulatorSchema schema, TimeProvider time, long version)
    {
        _connection = connection;
        _schema = schema;
        _time = time;
        _version = version;
    }

    public EmulatorSchema Schema => _schema;

    public Guid? FindByKey(TableDefinition table, AlternateKeyDefinition key, IReadOnlyList<object?> values)
    {
        var where = string.Join(" AND ", key.Attributes.Select((a, i) => $"\"{a}\" = $p{i}"));
        var result = Command($"SELECT \"{table.PrimaryIdAttribute}\" FROM \"{table.LogicalName}\" WHERE {where}", values).ExecuteScalar();
        return result is string id ? Guid.Parse(id) : null;
    }

    /// <summary>The record's version number, or null when it does not exist.</summary>
    public long? FindVersion(TableDefinition table, Guid id)
    {
        var result = Command($"SELECT versionnumber FROM \"{table.LogicalName}\" WHERE \"{table.PrimaryIdAttribute}\" = $p0",
            [id.ToString("D")]).ExecuteScalar();
        return result is null ? null : Convert.ToInt64(result, CultureInfo.InvariantCulture);
    }

    public long Insert(TableDefinition table, Guid id, IReadOnlyDictionary<string, object?> values)
    {
        CheckKeysFree(table, values, except: null);
        string now = Now();
        var columns = values.Keys.Where(k => k != table.PrimaryIdAttribute).ToList();
        var parameters = new List<object?> { id.ToString("D") };
        parameters.AddRange(columns.Select(c => values[c]));
        long version = ++_version;
        parameters.AddRange([now, now, version]);
        var names = string.Join("", columns.Select(c => $", \"{c}\""));
        var placeholders = string.Join(", ", Enumerable.Range(0, parameters.Count).Select(i => $"$p{i}"));
        try
        {
            Command($"INSERT INTO \"{table.LogicalName}\" (\"{table.PrimaryIdAttribute}\"{names}, {SystemColumns}) VALUES ({placeholders})",
                parameters).ExecuteNonQuery();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new DataverseException(412, ErrorCodes.DuplicateRecord, "Cannot insert duplicate key.");
        }

        if (table.ChangeTracking)
        {
            // A record created again with a deleted record's id is a change of its own, not a deletion any more.
            Command($"DELETE FROM \"{table.TombstoneTable}\" WHERE id = $p0", [id.ToString("D")]).ExecuteNonQuery();
        }

        _levels.Peek().Add(table.LogicalName, created: 1);
        return version;
    }

    public long Update(TableDefinition table, Guid id, IReadOnlyDictionary<string, object?> values)
    {
        CheckKeysFree(table, values, except: id);
        var columns = values.Keys.Where(k => k != table.PrimaryIdAttribute).ToList();
        long version = ++_version;
        var parameters = new List<object?>(columns.Select(c => values[c])) { Now(), version, id.ToString("D") };
        var assignments = string.Join("", columns.Select((c, i) => $"\"{c}\" = $p{i}, "));
        int n = columns.Count;
        Command($"UPDATE \"{table.LogicalName}\" SET {assignments}modifiedon = $p{n}, versionnumber = $p{n + 1} WHERE \"{table.PrimaryIdAttribute}\" = " +
            $"$p{n + 2}", parameters).ExecuteNonQuery();
        _levels.Peek().Add(table.LogicalName, updated: 1);
        _levels.Peek().AddUpdatedAttributes(table.LogicalName, columns);
        return version;
    }

    public bool Delete(TableDefinition table, Guid id)
    {
        int deleted = Command($"DELETE FROM \"{table.LogicalName}\" WHERE \"{table.PrimaryIdAttribute}\" = $p0", [id.ToString("D")]).ExecuteNonQuery();
        if (deleted > 0 && table.ChangeTracking)
        {
            Command($"INSERT OR REPLACE INTO \"{table.TombstoneTable}\" (id, versionnumber, deletedon) VALUES ($p0, $p1, $p2)",
                [id.ToString("D"), ++_version, Now()]).ExecuteNonQuery();
        }

        _levels.Peek().Add(table.LogicalName, deleted: deleted);
        return deleted > 0;
    }

    public Dictionary<string, object?>? Get(TableDefinition table, Guid id) =>
        Query(table, $"\"{table.PrimaryIdAttribute}\" = $p0", [id.ToString("D")], "", 0, 1).FirstOrDefault();

    /// <summary>Reads whole records; <paramref name="where"/> and <paramref name="orderBy"/> are SQL built by the query translator with <c>$pN</c>
    /// parameters.</summary>
    public List<Dictionary<string, object?>> Query(TableDefinition table, string where, IReadOnlyList<object?> parameters,
        string orderBy, int offset, int limit)
    {
        var sql = $"SELECT * FROM \"{table.LogicalName}\"{(where.Length > 0 ? " WHERE " + where : "")} ORDER BY " +
            $"{(orderBy.Length > 0 ? orderBy + ", " : "")}\"{table.PrimaryIdAttribute}\" LIMIT {limit} OFFSET {offset}";
        using var reader = Command(sql, parameters).ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
            for (int i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The version of the latest change to any record: a change-tracking token's starting point.</summary>
    public long CurrentVersion => _version;

    /// <summary>
    /// Records created or updated after version <paramref name="after"/> up to <paramref name="upTo"/>, oldest change
    /// first. Versions are unique, so a page that starts after the last one read skips and repeats nothing.
    /// </summary>
    public List<Dictionary<string, object?>> Changed(TableDefinition table, long after, long upTo, int limit) =>
        Query(table, "versionnumber > $p0 AND versionnumber <= $p1", [after, upTo], "versionnumber", 0, limit);

    /// <summary>Ids and versions of records deleted after version <paramref name="after"/> up to <paramref name="upTo"/>, oldest first.</summary>
    public List<(string Id, long Version)> Deleted(TableDefinition table, long after, long upTo, int limit)
    {
        using var reader = Command(
            $"SELECT id, versionnumber FROM \"{table.TombstoneTable}\" WHERE versionnumber > $p0 AND versionnumber <= $p1 ORDER BY versionnumber LIMIT {limit}",
            [after, upTo]).ExecuteReader();
        var ids = new List<(string, long)>();
        while (reader.Read())
        {
            ids.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return ids;
    }

    public long Count(TableDefinition table, string where, IReadOnlyList<object?> parameters) =>
        Convert.ToInt64(Command($"SELECT COUNT(*) FROM \"{table.LogicalName}\"{(where.Length > 0 ? " WHERE " + where : "")}", parameters).ExecuteScalar(),
            CultureInfo.InvariantCulture);

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }

    internal TableCounts Begin()
    {
        var counts = new TableCounts();
        if (_levels.Count == 0)
        {
            _transaction = _connection.BeginTransaction();
            ResetCommandTransactions();
        }
        else
        {
            Execute($"SAVEPOINT sp{_levels.Count}");
        }

        _levels.Push(counts);
        return counts;
    }

    /// <summary>Ends the innermost level; true when that was the outermost one (the transaction committed).</summary>
    internal bool Commit()
    {
        var counts = _levels.Pop();
        if (_levels.Count > 0)
        {
            Execute($"RELEASE SAVEPOINT sp{_levels.Count}");
            _levels.Peek().AddAll(counts);
            return false;
        }

        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
        return true;
    }

    internal void Rollback()
    {
        _levels.Pop();
        if (_levels.Count > 0)
        {
            Execute($"ROLLBACK TO SAVEPOINT sp{_levels.Count}; RELEASE SAVEPOINT sp{_levels.Count}");
            return;
        }

        _transaction!.Rollback();
        _transaction.Dispose();
        _transaction = null;
    }

    private void CheckKeysFree(TableDefinition table, IReadOnlyDictionary<string, object?> values, Guid? except)
    {
        foreach (var key in table.Keys.Where(k => k.Attributes.Any(values.ContainsKey)))
        {
            Guid? owner;
            if (key.Attributes.All(values.ContainsKey))
            {
                owner = FindByKey(table, key, key.Attributes.Select(a => values[a]).ToList());
            }
            else if (except is { } id)
            {
                // A partial key change on an existing record: combine the new values with the stored ones.
                var stored = Get(table, id);
                owner = stored is null ? null : FindByKey(table, key, key.Attributes.Select(a => values.TryGetValue(a, out var v) ? v : stored[a]).ToList());
            }
            else
            {
                owner = null;
            }

            if (owner is { } found && found != except)
            {
                var described = string.Join(", ", key.Attributes.Select(a => $"{a}={(values.TryGetValue(a, out var v) ? v : "(unchanged)")}"));
                throw new DataverseException(412, ErrorCodes.DuplicateRecord,
                    $"A record that has the attribute values {described} already exists. The entity key {key.LogicalName} requires that this set of " +
                        $"attributes contains unique values. Select unique values and try again.");
            }
        }
    }

    private string Now() => _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private SqliteCommand Command(string sql, IReadOnlyList<object?> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxCachedCommands)
            {
                Dispose();
                _commands.Clear();
            }

            command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = _transaction;
            for (int i = 0; i < parameters.Count; i++)
            {
                command.Parameters.Add(new SqliteParameter($"$p{i}", DBNull.Value));
            }

            _commands[sql] = command;
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            command.Parameters[i].Value = parameters[i] ?? DBNull.Value;
        }

        return command;
    }

    private void ResetCommandTransactions()
    {
        foreach (var command in _commands.Values)
        {
            command.Transaction = _transaction;
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        command.ExecuteNonQuery();
    }
}
