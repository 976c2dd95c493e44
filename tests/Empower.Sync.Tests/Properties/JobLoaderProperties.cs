using System.Text.Json.Nodes;
using CsCheck;
using Empower.Sync.Jobs;

namespace Empower.Sync.Tests.Properties;

/// <summary>
/// Whatever a job file holds, loading it gives a job or a <see cref="JobConfigurationException"/> that lists each
/// problem and names the job (or the file); never another exception.
/// </summary>
public sealed class JobLoaderProperties
{
    private const string Valid = """
        { "name": "contacts", "source": { "path": "lake/contacts" }, "target": { "table": "contact" }, "mode": "upsert",
          "match": { "key": ["emailaddress1"] }, "duplicates": "lastWins", "maxDeferrals": 5, "batchSize": 100,
          "columns": [ { "source": "email", "attribute": "emailaddress1" }, { "source": "name", "attribute": "lastname" },
                       { "constant": "x", "attribute": "description" },
                       { "source": "company", "lookup": { "attribute": "parentcustomerid", "table": "account", "key": ["accountnumber"] } } ] }
        """;

    private static readonly Gen<JsonNode?> Replacement = Gen.OneOf<JsonNode?>(
        Gen.Const((JsonNode?)null),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0)),
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Const<JsonNode?>(new JsonArray()),
        Gen.Const<JsonNode?>(new JsonObject()),
        Gen.Const<JsonNode?>(new JsonArray(JsonValue.Create("a"), new JsonObject())));

    /// <summary>Every object member and array item of the document, as a path of steps.</summary>
    private static List<(JsonNode Parent, object Step)> Places(JsonNode node)
    {
        var places = new List<(JsonNode, object)>();
        if (node is JsonObject o)
        {
            foreach (var (key, child) in o.ToList())
            {
                places.Add((o, key));
                if (child is not null)
                {
                    places.AddRange(Places(child));
                }
            }
        }
        else if (node is JsonArray a)
        {
            for (int i = 0; i < a.Count; i++)
            {
                places.Add((a, i));
                if (a[i] is { } child)
                {
                    places.AddRange(Places(child));
                }
            }
        }

        return places;
    }

    private static string Mutate(IReadOnlyList<(int Place, int Action, JsonNode? Value, string Name)> edits)
    {
        var document = JsonNode.Parse(Valid)!;
        foreach (var (place, action, value, name) in edits)
        {
            var places = Places(document);
            var (parent, step) = places[place % places.Count];
            switch (parent, step, action % 3)
            {
                case (JsonObject o, string key, 0):
                    o.Remove(key);
                    break;
                case (JsonObject o, string key, 1):
                    o[key] = value?.DeepClone();
                    break;
                case (JsonObject o, _, _):
                    o[name] = value?.DeepClone();
                    break;
                case (JsonArray a, int i, 0):
                    a.RemoveAt(i);
                    break;
                case (JsonArray a, int i, _):
                    a[i] = value?.DeepClone();
                    break;
            }
        }

        return document.ToJsonString();
    }

    [Fact]
    public void Mutated_job_files_load_or_fail_with_a_located_configuration_error()
    {
        var edits = Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 2], Replacement, Gen.OneOf(Gen.Const("namee"), Gen.Const("$schema"), Gen.String[1, 8]))
            .List[1, 4];
        edits.Sample(list =>
        {
            string json = Mutate(list);
            try
            {
                JobDefinitionLoader.Parse(json, "contacts.json");
            }
            catch (JobConfigurationException ex)
            {
                Assert.NotEmpty(ex.Problems);
                Assert.All(ex.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p)));
                // The job it names: its own name, or the file when the name is what is missing.
                Assert.False(string.IsNullOrWhiteSpace(ex.Job));
            }
        }, iter: 3_000);
    }

    [Fact]
    public void Text_that_is_not_a_job_fails_with_a_configuration_error_naming_the_file()
    {
        Gen.OneOf(Gen.String.Where(t => !t.TrimStart().StartsWith('{')),
            Gen.Const(Valid).Select(Gen.Int[0, Valid.Length - 1], (v, cut) => v[..cut])).Sample(text =>
        {
            var ex = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(text, "broken.json"));
            Assert.Contains("broken.json", string.Join(" ", ex.Problems));
        }, iter: 2_000);
    }
}
