using System.Text.Json.Nodes;
using Empower.Sync.Jobs;

namespace Empower.Testing.Jobs;

/// <summary>
/// The job many tests run: <see cref="Lake.PeopleTable"/> published to <c>contact</c>, matched on <c>emailaddress1</c>, email and last name mapped.
/// Tests change what they are about with <see cref="With"/> and <see cref="Column(string, string)"/>.
/// </summary>
public sealed class PeopleJob
{
    private readonly JsonObject _job;

    public PeopleJob(string source, string name = "people")
    {
        Name = name;
        _job = new JsonObject
        {
            ["name"] = name,
            ["source"] = new JsonObject { ["path"] = source },
            ["target"] = new JsonObject { ["table"] = "contact" },
            ["match"] = new JsonObject { ["key"] = new JsonArray("emailaddress1") },
            ["columns"] = new JsonArray(Mapping("email", "emailaddress1"), Mapping("last_name", "lastname")),
        };
    }

    public string Name { get; }

    /// <summary>Sets a top-level setting (<c>mode</c>, <c>duplicates</c>, <c>batchSize</c>…), or removes it when <paramref name="value"/> is null.</summary>
    public PeopleJob With(string setting, JsonNode? value)
    {
        _job[setting] = value;
        return this;
    }

    /// <summary>Sets a setting of <c>source</c> besides its path, such as <c>format</c>.</summary>
    public PeopleJob WithSource(string setting, JsonNode? value)
    {
        _job["source"]![setting] = value;
        return this;
    }

    /// <summary>Maps one more source column to an attribute.</summary>
    public PeopleJob Column(string source, string attribute) => Column(Mapping(source, attribute));

    /// <summary>Adds a mapping written out in full (a lookup, a constant…).</summary>
    public PeopleJob Column(JsonObject mapping)
    {
        _job["columns"]!.AsArray().Add(mapping);
        return this;
    }

    /// <summary>Binds the <c>company</c> column to the contact's parent account, by the account's <c>accountnumber</c>.</summary>
    public PeopleJob CompanyLookup() => Column(new JsonObject
    {
        ["source"] = "company",
        ["lookup"] = new JsonObject { ["attribute"] = "parentcustomerid", ["table"] = "account", ["key"] = new JsonArray("accountnumber") },
    });

    public string Json => _job.ToJsonString();

    /// <summary>The job as the loader reads it from <c>{name}.json</c>.</summary>
    public JobDefinition Definition => JobDefinitionLoader.Parse(Json, $"{Name}.json");

    /// <summary>Writes <c>{name}.json</c> into <paramref name="folder"/> and returns its path.</summary>
    public string WriteTo(string folder)
    {
        string path = System.IO.Path.Combine(folder, $"{Name}.json");
        File.WriteAllText(path, Json);
        return path;
    }

    private static JsonObject Mapping(string source, string attribute) => new() { ["source"] = source, ["attribute"] = attribute };
}
