using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text;
using Empower.Sync.Dataverse.Reading;

namespace Empower.Sync.Dataverse.Writing;

/// <summary>Builds the Web API requests for a batch: CreateMultiple / UpsertMultiple, or single create / upsert.</summary>
internal static class RequestBuilder
{
    private static readonly MediaTypeHeaderValue Json = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

    /// <summary>The bulk action for <paramref name="records"/>; the body is serialized once and reused on every try.</summary>
    public static Func<HttpRequestMessage> Bulk(WriteRequest request, IReadOnlyList<RecordToWrite> records)
    {
        var table = request.Table;
        var targets = new JsonArray();
        foreach (var record in records)
        {
            var target = Body(request, record);
            target["@odata.type"] = $"Microsoft.Dynamics.CRM.{table.LogicalName}";
            if (request.ByKey)
            {
                target["@odata.id"] = KeyLiteral.ForKey(table.EntitySetName, request.KeyAttributes!, record.Attributes, escapeForUrl: false);
            }

            targets.Add(target);
        }

        string action = request.Mode == WriteMode.Insert ? "CreateMultiple" : "UpsertMultiple";
        byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["Targets"] = targets }.ToJsonString());
        string path = $"{table.EntitySetName}/Microsoft.Dynamics.CRM.{action}";
        return () => Message(HttpMethod.Post, path, body);
    }

    /// <summary>One record: POST to create (Insert), PATCH by key or id to upsert.</summary>
    public static Func<HttpRequestMessage> Single(WriteRequest request, RecordToWrite record)
    {
        var table = request.Table;
        byte[] body = Encoding.UTF8.GetBytes(Body(request, record).ToJsonString());
        if (request.Mode == WriteMode.Insert)
        {
            return () => Message(HttpMethod.Post, table.EntitySetName, body);
        }

        string path = request.ByKey
            ? KeyLiteral.ForKey(table.EntitySetName, request.KeyAttributes!, record.Attributes, escapeForUrl: true)
            : KeyLiteral.ForId(table.EntitySetName, record.Id!.Value);
        return () => Message(HttpMethod.Patch, path, body);
    }

    /// <summary>The record's columns; with Upsert by key the key columns go in the URL or <c>@odata.id</c>, not the body.</summary>
    private static JsonObject Body(WriteRequest request, RecordToWrite record)
    {
        var body = (JsonObject)record.Attributes.DeepClone();
        if (request.ByKey)
        {
            foreach (var key in request.KeyAttributes!)
            {
                body.Remove(key);
            }
        }
        else if (record.Id is { } id)
        {
            body[request.Table.PrimaryIdAttribute] = id.ToString("D");
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
