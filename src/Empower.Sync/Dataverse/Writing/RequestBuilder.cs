using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Empower.Sync.Dataverse.Reading;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>Builds the Web API requests for a batch: CreateMultiple / UpsertMultiple, or single create / upsert.</summary>
internal static class RequestBuilder
{
    private const int MaxKeptBufferBytes = 4 << 20;

    private static readonly MediaTypeHeaderValue Json = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>The bulk action for <paramref name="records"/>; the body is serialized once and reused on every try.</summary>
    public static Func<HttpRequestMessage> Bulk(WriteRequest request, IReadOnlyList<RecordToWrite> records)
    {
        var table = request.Table;
        string type = $"Microsoft.Dynamics.CRM.{table.LogicalName}";
        byte[] body = Serialize(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Targets");
            foreach (var record in records)
            {
                writer.WriteStartObject();
                WriteColumns(writer, request, record);
                writer.WriteString("@odata.type", type);
                if (request.ByKey)
                {
                    writer.WriteString("@odata.id", KeyLiteral.ForKey(table.EntitySetName, request.KeyAttributes!, record.Attributes, escapeForUrl: false));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        string action = request.Mode == WriteMode.Insert ? "CreateMultiple" : "UpsertMultiple";
        string path = $"{table.EntitySetName}/Microsoft.Dynamics.CRM.{action}";
        return () => Message(HttpMethod.Post, path, body);
    }

    /// <summary>One record: POST to create (Insert), PATCH by key or id to upsert.</summary>
    public static Func<HttpRequestMessage> Single(WriteRequest request, RecordToWrite record)
    {
        var table = request.Table;
        byte[] body = Serialize(writer =>
        {
            writer.WriteStartObject();
            WriteColumns(writer, request, record);
            writer.WriteEndObject();
        });
        if (request.Mode == WriteMode.Insert)
        {
            return () => Message(HttpMethod.Post, table.EntitySetName, body);
        }

        string path = request.ByKey
            ? KeyLiteral.ForKey(table.EntitySetName, request.KeyAttributes!, record.Attributes, escapeForUrl: true)
            : KeyLiteral.ForId(table.EntitySetName, record.Id!.Value);
        return () => Message(HttpMethod.Patch, path, body);
    }

    /// <summary>
    /// The record's columns; with Upsert by key the key columns go in the URL or <c>@odata.id</c>, not the body; by id, the
    /// primary id is the record's.
    /// </summary>
    private static void WriteColumns(Utf8JsonWriter writer, WriteRequest request, RecordToWrite record)
    {
        string? id = request.ByKey ? null : record.Id?.ToString("D");
        string primary = request.Table.PrimaryIdAttribute;
        bool idWritten = false;
        foreach (var (name, value) in record.Attributes)
        {
            if (request.ByKey && request.KeyAttributes!.Contains(name))
            {
                continue;
            }

            if (id is not null && name == primary)
            {
                writer.WriteString(name, id);
                idWritten = true;
                continue;
            }

            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
        }

        if (id is not null && !idWritten)
        {
            writer.WriteString(primary, id);
        }
    }

    /// <summary>
    /// UTF-8 JSON written into a reused per-thread buffer and copied out once: a bulk body of 1,000 rows is hundreds of KB,
    /// and building it as a node tree, then a string, then bytes left three large-object-heap copies per request.
    /// </summary>
    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        byte[] body = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxKeptBufferBytes)
        {
            _buffer = null;
        }

        return body;
    }

    private static HttpRequestMessage Message(HttpMethod method, string path, byte[] body)
    {
        var message = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = Json;
        message.Headers.Add("OData-Version", "4.0");
        message.Headers.Add("OData-MaxVersion", "4.0");
        return message;
    }
}
