using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace CorpNotifier.Persistence;

/// <summary>
/// The rows a letter's life adds (<see cref="IAppendedRow"/>) — its timeline steps and its deliveries — written on
/// PostgreSQL with one statement per table for the whole unit of work, all in one round trip (<c>unnest</c> of one array per
/// column), instead of an <c>INSERT … RETURNING</c> of its own for each row. A letter sent adds four
/// such rows, so this is most of what the send path and the intake write.
/// </summary>
/// <remarks>
/// <para>
/// The rows go in the same transaction as everything else the save writes (the caller's, or one of
/// its own), after it, so a step of a notice created in the same save has its notice's id. Each row
/// gets its id from the table's identity sequence, in the order the rows were added, and then joins
/// the unit of work as unchanged, as a row saved by EF would: a later save of the same unit of work
/// does not write it again.
/// </para>
/// <para>
/// The columns, their types and their conversions are read from the EF model, so a column added to
/// either entity is written without a change here. A save that fails leaves the rows added, as EF
/// does, for the caller to retry or drop.
/// </para>
/// </remarks>
internal static class AppendedRows
{
    private static readonly ConcurrentDictionary<IEntityType, Table> Tables = new();

    /// <summary>Saves the unit of work of <paramref name="db"/> with <paramref name="save"/> (EF's own save), its appended rows in bulk beside it.</summary>
    public static async Task<int> SaveAsync(DbContext db, bool acceptAllChangesOnSuccess, Func<bool, CancellationToken, Task<int>> save, CancellationToken cancellationToken)
    {
        var tracker = db.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            tracker.DetectChanges();
        }

        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var rows = Collect(db);
            if (rows.Count == 0)
            {
                return await save(acceptAllChangesOnSuccess, cancellationToken);
            }

            foreach (var row in rows)
            {
                db.Entry(row.Entity).State = EntityState.Detached;
            }

            var owned = db.Database.CurrentTransaction is null;
            var transaction = owned ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

            // In a transaction of its own, the whole save is undone on failure: EF's savepoint around
            // its statements would only cost two round trips (and a failure to release it is one EF
            // logs and passes over, leaving a broken connection for the inserts to find).
            var savepoints = db.Database.AutoSavepointsEnabled;
            db.Database.AutoSavepointsEnabled = savepoints && !owned;
            int saved;
            var byTable = rows.GroupBy(r => r.Table).Select(g => (Table: g.Key, Rows: g.ToList())).ToList();
            var ids = new List<long>(rows.Count);
            try
            {
                saved = await save(!owned && acceptAllChangesOnSuccess, cancellationToken);
                ids.AddRange(await InsertAsync(db, byTable, cancellationToken));
                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
            }
            catch
            {
                foreach (var row in rows)
                {
                    // As they were: a row of an entity not saved yet takes its owner's key at the next save.
                    if (row.Owner is { } owner)
                    {
                        var foreignKey = owner.ForeignKey.Properties.Single();
                        foreignKey.PropertyInfo!.SetValue(row.Entity, foreignKey.ClrType.IsValueType ? Activator.CreateInstance(foreignKey.ClrType) : null);
                    }

                    db.Entry(row.Entity).State = EntityState.Added;
                }

                throw;
            }
            finally
            {
                db.Database.AutoSavepointsEnabled = savepoints;
                if (transaction is not null)
                {
                    await transaction.DisposeAsync();
                }
            }

            // Committed: the unit of work is left as EF leaves what it saved.
            if (owned && acceptAllChangesOnSuccess)
            {
                tracker.AcceptAllChanges();
            }

            foreach (var (row, id) in byTable.SelectMany(t => t.Rows).Zip(ids))
            {
                row.Table.Key.PropertyInfo!.SetValue(row.Entity, id);
                db.Entry(row.Entity).State = EntityState.Unchanged;
            }

            return saved + rows.Count;
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>The appended rows added to the unit of work, in the order they were added; a row of an entity not saved yet knows its owner.</summary>
    private static List<Row> Collect(DbContext db)
    {
        Dictionary<object, Owner>? owners = null;
        var rows = new List<Row>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }

            if (entry.Entity is IAppendedRow)
            {
                rows.Add(new Row(entry.Entity, Tables.GetOrAdd(entry.Metadata, Table.Of)));
                continue;
            }

            foreach (var collection in entry.Collections)
            {
                if (collection.Metadata is INavigation { IsOnDependent: false } navigation
                    && typeof(IAppendedRow).IsAssignableFrom(navigation.TargetEntityType.ClrType)
                    && collection.CurrentValue is { } items)
                {
                    owners ??= new Dictionary<object, Owner>(ReferenceEqualityComparer.Instance);
                    foreach (var item in items)
                    {
                        owners[item] = new Owner(entry.Entity, navigation.ForeignKey);
                    }
                }
            }
        }

        if (owners is not null)
        {
            foreach (var row in rows)
            {
                row.Owner = owners.GetValueOrDefault(row.Entity);
            }
        }

        return rows;
    }

    /// <summary>Writes the rows of every table in one round trip (a statement per table); their ids, table by table, in the order added.</summary>
    private static async Task<IReadOnlyList<long>> InsertAsync(DbContext db, IReadOnlyList<(Table Table, List<Row> Rows)> byTable, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
        {
            // The connection broke under EF's statements without EF saying so (a savepoint it could
            // not release): the database went away, and nothing of this save is kept.
            throw new DatabaseConnectionLostException($"the connection to the database is {connection.State.ToString().ToLowerInvariant()} after the save's own statements");
        }

        await using var batch = new NpgsqlBatch(connection) { Transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction() };
        foreach (var (table, rows) in byTable)
        {
            batch.BatchCommands.Add(Command(db, table, rows));
        }

        var ids = new List<long>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        foreach (var (table, rows) in byTable)
        {
            var before = ids.Count;
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }

            if (ids.Count - before != rows.Count)
            {
                throw new InvalidOperationException($"{table.Name}: {rows.Count} rows written, {ids.Count - before} ids returned");
            }

            await reader.NextResultAsync(cancellationToken);
        }

        return ids;
    }

    /// <summary>The statement that writes <paramref name="rows"/> into <paramref name="table"/>: an array of each column's values.</summary>
    private static NpgsqlBatchCommand Command(DbContext db, Table table, IReadOnlyList<Row> rows)
    {
        foreach (var row in rows)
        {
            // A row of an entity created in this save (a new notice's first step): its owner has its key now.
            if (row.Owner is { } owner)
            {
                // Read through its entry: before the changes are accepted, a generated key is there only.
                var key = db.Entry(owner.Entity).Property(owner.ForeignKey.PrincipalKey.Properties.Single()).CurrentValue;
                owner.ForeignKey.Properties.Single().PropertyInfo!.SetValue(row.Entity, key);
            }
        }

        var command = new NpgsqlBatchCommand(table.Sql);
        for (var i = 0; i < table.Columns.Count; i++)
        {
            var column = table.Columns[i];
            var values = Array.CreateInstance(column.ElementType, rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                var value = column.Property.GetGetter().GetClrValueUsingContainingEntity(rows[r].Entity);
                values.SetValue(value is null || column.Converter is null ? value : column.Converter.ConvertToProvider(value), r);
            }

            command.Parameters.Add(new NpgsqlParameter($"p{i}", values));
        }

        return command;
    }

    private sealed class Row(object entity, Table table)
    {
        public object Entity { get; } = entity;

        public Table Table { get; } = table;

        /// <summary>The entity the row belongs to, when it is created in the same save.</summary>
        public Owner? Owner { get; set; }
    }

    private sealed record Owner(object Entity, IForeignKey ForeignKey);

    private sealed record Column(IProperty Property, string Name, string StoreType, ValueConverter? Converter, Type ElementType);

    /// <summary>A table of appended rows: its columns from the model, and the statement that writes a batch of them.</summary>
    private sealed record Table(string Name, IProperty Key, IReadOnlyList<Column> Columns, string Sql)
    {
        public static Table Of(IEntityType entity)
        {
            var name = entity.GetTableName() ?? throw new InvalidOperationException($"{entity.DisplayName()} has no table");
            var identifier = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var key = entity.FindPrimaryKey()!.Properties.Single();
            var columns = entity.GetProperties().Where(p => p != key).Select(p =>
            {
                var mapping = p.GetRelationalTypeMapping();
                var converter = p.GetValueConverter() ?? mapping.Converter;
                var provider = converter?.ProviderClrType ?? p.ClrType;
                var element = Nullable.GetUnderlyingType(provider) ?? provider;
                if (element.IsValueType && p.IsNullable)
                {
                    element = typeof(Nullable<>).MakeGenericType(element);
                }

                return new Column(p, p.GetColumnName(identifier)!, p.GetColumnType(identifier), converter, element);
            }).ToList();

            var table = Quote(name, entity.GetSchema());
            var sequence = Literal(table);
            var keyColumn = Quote(key.GetColumnName(identifier)!);
            var names = string.Join(", ", columns.Select(c => Quote(c.Name)));
            var aliases = string.Join(", ", columns.Select((_, i) => $"c{i}"));
            var arrays = string.Join(", ", columns.Select((c, i) => $"@p{i}::{c.StoreType}[]"));
            var sql = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"WITH r AS (SELECT nextval((SELECT pg_get_serial_sequence({sequence}, {Literal(key.GetColumnName(identifier)!)}))) AS id, r.* ")
                .Append(CultureInfo.InvariantCulture, $"FROM unnest({arrays}) WITH ORDINALITY AS r({aliases}, ord)), ")
                .Append(CultureInfo.InvariantCulture, $"i AS (INSERT INTO {table} ({keyColumn}, {names}) SELECT id, {aliases} FROM r) ")
                .Append("SELECT id FROM r ORDER BY ord")
                .ToString();
            return new Table(name, key, columns, sql);
        }

        private static string Quote(string name, string? schema = null) =>
            (schema is null ? "" : Quote(schema) + ".") + "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
