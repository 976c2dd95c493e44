using System.Net;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse;
using Empower.Testing;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Dataverse.Reading;

/// <summary>Reading records by a composite alternate key with a date part, as Dataverse takes dates in a <c>$filter</c>: bare.</summary>
public sealed class RecordReaderTests
{
    [Fact]
    public async Task A_composite_key_with_a_date_part_finds_its_records()
    {
        using var folder = TempTable.Empty();
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "Empower.Dataverse.Emulator", "Schema",
            "default-schema.json")))!;
        var lines = schema["tables"]!.AsArray().Single(t => (string)t!["logicalName"]! == "empower_salesorderline")!;
        lines["keys"] = JsonNode.Parse("""
            [ { "logicalName": "empower_shipment_key", "attributes": ["empower_ordernumber", "empower_shippedon"] } ]
            """);
        string schemaFile = Path.Combine(folder.Path, "schema.json");
        await File.WriteAllTextAsync(schemaFile, schema.ToJsonString());
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Schema", schemaFile)));
        using var emulator = await EmulatorClient.ConnectAsync(server);
        foreach (var (order, shipped) in new[] { ("SO-1", "2026-03-01T10:00:00Z"), ("SO-2", "2026-03-02T11:30:00Z") })
        {
            var created = await emulator.PostAsync("empower_salesorderlines",
                $$"""{ "empower_name": "{{order}}", "empower_ordernumber": "{{order}}", "empower_shippedon": "{{shipped}}" }""");
            Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        }

        using var dataverse = DataverseClient.Create(EmulatorDataverse.Options(server, 1));
        var table = await dataverse.Metadata.GetAsync("empower_salesorderline");

        var byDate = await dataverse.Reader.ReadAsync(table, ["empower_ordernumber", "empower_shippedon"],
            [new JsonObject { ["empower_ordernumber"] = "SO-1", ["empower_shippedon"] = "2026-03-01T10:00:00Z" },
                new JsonObject { ["empower_ordernumber"] = "SO-2", ["empower_shippedon"] = "2026-03-02T11:30:00Z" }],
            ["empower_name"], CancellationToken.None);

        Assert.NotNull(byDate);
        Assert.Equal(["SO-1", "SO-2"], byDate.Select(r => (string)r["empower_name"]!).Order());
    }
}
