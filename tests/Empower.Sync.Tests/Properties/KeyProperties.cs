using System.Text.Json.Nodes;
using CsCheck;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Dataverse;
using Empower.Sync.Mapping;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;

namespace Empower.Sync.Tests.Properties;

/// <summary>Key values with the characters that break URLs and OData literals survive the trip to Dataverse unchanged.</summary>
public sealed class KeyProperties
{
    /// <summary>Quotes, URL delimiters, percent signs, white space, accents, symbols and a character outside the BMP.</summary>
    private static readonly string[] Pieces = ["a", "b", "0", "Z", "9", "-", "_", "'", "''", "%", "%27", "/", "#", "?", "&", "+", "=", ",", ";", ":", "@",
        "!", "$", "(", ")", "*", "[", "]", " ", ".", "~", "\"", "\\", "ü", "€", "ß", "é", "\u00a0", "日本", "😀"];

    private static readonly Gen<string> KeyText = Gen.Int[0, Pieces.Length - 1].Select(i => Pieces[i]).Array[1, 10].Select(parts => string.Concat(parts));

    [Fact]
    public void A_key_literal_escaped_for_a_url_unescapes_to_the_odata_literal_and_parses_back_to_the_value()
    {
        KeyText.Sample(value =>
        {
            string segment = KeyLiteral.ForKey("accounts", ["accountnumber"], new JsonObject { ["accountnumber"] = value }, escapeForUrl: true);
            string literal = KeyLiteral.Literal(JsonValue.Create(value), "accountnumber");

            Assert.DoesNotContain('/', segment);
            Assert.DoesNotContain('?', segment);
            Assert.DoesNotContain('#', segment);
            Assert.Equal($"accounts(accountnumber={literal})", Uri.UnescapeDataString(segment));
            Assert.Equal(value, literal[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }, iter: 2_000);
    }

    [Fact]
    public async Task Random_keys_upserted_by_alternate_key_are_stored_exactly_and_found_again_by_key()
    {
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        using var client = DataverseClient.Create(EmulatorDataverse.Options(server, principals: 1, o => o.BatchSize = 50));
        using var emulator = await EmulatorClient.ConnectAsync(server);
        var table = await client.Metadata.GetAsync("account");
        // accountnumber holds 20 UTF-16 units; keys that differ only in case or accents are one record on an English org.
        var keys = KeyText.Where(k => k.Length <= 20 && !string.IsNullOrWhiteSpace(k)).HashSet[150, 150].Single()
            .DistinctBy(k => RecordKey.Fold(k, KeyCollation.AccentInsensitive)).ToList();
        var rows = keys.Select((k, i) => new RecordToWrite(i, new JsonObject { ["accountnumber"] = k, ["name"] = $"n{i}" })).ToList();

        var result = await client.Writer.WriteAsync(new WriteRequest(table, WriteMode.Upsert, ["accountnumber"]), rows);

        Assert.Equal(keys.Count, result.Count(RecordOutcome.Written));
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            var response = await emulator.GetAsync(KeyLiteral.ForKey("accounts", ["accountnumber"], new JsonObject { ["accountnumber"] = key },
                escapeForUrl: true) + "?$select=accountnumber,name");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.IsSuccessStatusCode, $"key '{key}': {body.ToJsonString()}");
            Assert.Equal((key, $"n{i}"), ((string?)body["accountnumber"], (string?)body["name"]));
        }
    }
}
