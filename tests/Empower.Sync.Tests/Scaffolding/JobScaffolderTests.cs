using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Dataverse;
using Empower.Sync.Scaffolding;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;
using Empower.Testing;

namespace Empower.Sync.Tests.Scaffolding;

/// <summary>The emulator's own tables plus three shaped like tables of tests/testdata (scaffold-tables.json).</summary>
public sealed class ScaffoldEmulator : IAsyncLifetime
{
    private readonly string _schema = Path.Combine(Path.GetTempPath(), $"empower-scaffold-schema-{Guid.NewGuid():N}.json");

    public EmulatorServer Server { get; private set; } = null!;

    public DataverseClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "src", "Empower.Dataverse.Emulator", "Schema",
            "default-schema.json")))!;
        var extra = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "tests", "Empower.Sync.Tests", "Scaffolding",
            "scaffold-tables.json")))!;
        foreach (var table in extra["tables"]!.AsArray())
        {
            schema["tables"]!.AsArray().Add(table!.DeepClone());
        }

        await File.WriteAllTextAsync(_schema, schema.ToJsonString());
        Server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Schema", _schema)));
        Client = DataverseClient.Create(EmulatorDataverse.Options(Server, principals: 1));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        File.Delete(_schema);
    }
}

/// <summary>
/// <c>empower init</c>'s proposals on real tables: names and types to attributes with the evidence, keys to match on,
/// choices and lookups, what is left out and why — and whether the proposed job passes validate's mapping check.
/// </summary>
public sealed class JobScaffolderTests(ScaffoldEmulator emulator) : IClassFixture<ScaffoldEmulator>
{
    private Task<JobProposal> ProposeAsync(string table, string target, JobMode mode = JobMode.Upsert)
    {
        string folder = RepositoryRoot.Path;
        var request = new ScaffoldRequest("scaffolded", Path.GetRelativePath(folder, table), target, mode);
        return JobScaffolder.ProposeAsync(request, new LocalLakeStorage(table), folder, t => emulator.Client.Metadata.GetAsync(t));
    }

    private static IEnumerable<(string Column, string Attribute, string Kind)> Mapped(JobProposal proposal) =>
        proposal.Columns.Select(c => (c.Column, c.Attribute, c.Kind));

    [Fact]
    public async Task A_table_whose_columns_are_the_attributes_without_their_prefix_maps_whole_and_validates()
    {
        var proposal = await ProposeAsync(TestTables.DeltaPath("cdf-table"), "empower_person");

        Assert.Equal([("id", "empower_id", "value"), ("name", "empower_name", "value"), ("birthday", "empower_birthday", "value")], Mapped(proposal));
        Assert.All(proposal.Columns, c => Assert.Equal("same name without the prefix 'empower_'", c.Evidence));
        Assert.Equal("alternate key 'empower_id_key' (empower_id): every attribute is mapped; 9 distinct values in 9 sampled rows with a key", proposal.Match);
        Assert.Empty(proposal.Unmapped);
        Assert.Empty(proposal.Required);
        Assert.Empty(proposal.Notes);
        Assert.True(proposal.Valid, string.Join("\n", proposal.Problems));

        // The file reads back as the job it describes, its source path relative to the job file's folder.
        var job = JobDefinitionLoader.Parse(proposal.Json, "scaffolded.json", RepositoryRoot.Path);
        Assert.Equal(TestTables.DeltaPath("cdf-table"), job.Source.Path);
        Assert.Equal(["empower_id"], job.Match!.Key!);
        Assert.Equal(JobMode.Upsert, job.Mode);
        Assert.Equal(["id", "name", "birthday"], job.Columns.Select(c => c.Source!));
    }

    [Fact]
    public async Task Every_type_maps_to_its_attribute_and_columns_that_cannot_are_named_with_the_reason()
    {
        var proposal = await ProposeAsync(TestTables.DeltaPath("parquet-all-types"), "empower_alltypes");

        Assert.Equal(
            ["ByteType", "ShortType", "IntegerType", "LongType", "FloatType", "DoubleType", "decimal", "BooleanType", "StringType", "DateType",
                "TimestampType", "nested_struct.aa"],
            proposal.Columns.Select(c => c.Column));
        Assert.Equal("empower_nestedstructaa", proposal.Columns.Single(c => c.Column == "nested_struct.aa").Attribute);
        var binary = proposal.Unmapped.Single(u => u.Column == "BinaryType");
        Assert.Equal("its name points at 'empower_binarytype' (same name without the prefix 'empower_'), but a binary column cannot fill an attribute of " +
            "type Integer", binary.Reason);
        Assert.Equal("no attribute of 'empower_alltypes' has a similar name; map it by hand (docs/jobs.md) or leave it out",
            proposal.Unmapped.Single(u => u.Column == "array_of_prims").Reason);
        Assert.Equal(9, proposal.Unmapped.Count);
        Assert.Equal("alternate key 'empower_stringtype_key' (empower_stringtype): every attribute is mapped; 196 distinct values in 196 sampled rows with " +
            "a key", proposal.Match);
        Assert.Equal(["4 of 200 sampled rows have no value in a key column (StringType); such rows fail (stage prepare) until they get one."], proposal.Notes);
        Assert.True(proposal.Valid, string.Join("\n", proposal.Problems));
    }

    [Fact]
    public async Task Text_that_begins_one_label_gets_a_choices_map_and_text_that_begins_none_is_named()
    {
        var proposal = await ProposeAsync(TestTables.DeltaPath("basic_partitioned"), "empower_letter");

        Assert.Equal([("letter", "empower_letter", "choice"), ("number", "empower_number", "value"), ("a_float", "empower_afloat", "value")], Mapped(proposal));
        var choices = JobDefinitionLoader.Parse(proposal.Json, "scaffolded.json").Columns.Single(c => c.Source == "letter").Choices!;
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }, choices);
        Assert.Equal(["column 'letter' holds 'e', which match no label of 'empower_letter' (1 = Apple, 2 = Banana, 3 = Cherry); add them to its \"choices\" " +
            "or those rows will fail."], proposal.Notes);
        Assert.Equal([new RequiredAttribute("empower_name", "String", "ApplicationRequired")], proposal.Required);
        Assert.True(proposal.Valid, string.Join("\n", proposal.Problems));
    }

    [Fact]
    public async Task A_table_without_the_targets_key_gets_a_job_whose_notes_and_problems_say_what_to_map()
    {
        var proposal = await ProposeAsync(TestTables.DeltaPath("cdf-table"), "contact");

        var birthday = proposal.Columns.Single(c => c.Column == "birthday");
        Assert.Equal(("birthdate", "'birthday' is a usual name for 'birthdate'"), (birthday.Attribute, birthday.Evidence));
        // Three attributes end with 'name': the proposal takes one and names the others for a person to choose.
        var name = proposal.Columns.Single(c => c.Column == "name");
        Assert.Equal("'fullname' ends with 'name' (also possible: firstname, lastname)", name.Evidence);
        Assert.Equal("id", Assert.Single(proposal.Unmapped).Column);
        Assert.Null(proposal.Match);
        Assert.Contains(proposal.Notes, n => n.StartsWith("no alternate key of 'contact' is fully mapped (its keys: empower_emailaddress1_key = " +
            "emailaddress1)", StringComparison.Ordinal));
        Assert.Contains(new RequiredAttribute("lastname", "String", "ApplicationRequired"), proposal.Required);
        Assert.False(proposal.Valid);
        Assert.Equal(["match.key attribute 'emailaddress1' must be mapped from a source column, so every row carries its key."], proposal.Problems);
    }

    [Fact]
    public async Task A_column_named_after_a_related_tables_key_becomes_a_lookup_and_insert_names_the_required_attribute()
    {
        using var lake = TempTable.Empty();
        var schema = new LakeSchema(
        [
            new LakeField("order_number", LakeDataType.Primitive(LakeTypeKind.String)),
            new LakeField("line_number", LakeDataType.Primitive(LakeTypeKind.Integer)),
            new LakeField("account_number", LakeDataType.Primitive(LakeTypeKind.String)),
            new LakeField("status", LakeDataType.Primitive(LakeTypeKind.String)),
            new LakeField("discount", LakeDataType.Primitive(LakeTypeKind.Double)),
            new LakeField("shipped_on", LakeDataType.Primitive(LakeTypeKind.Timestamp)),
        ]);
        var shipped = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        await new DeltaAppendWriter(new LocalLakeStorage(lake.Path), schema, TimeProvider.System).AppendAsync(
        [
            ["SO-1", 1, "A-1", "Open", 0.1, null],
            ["SO-1", 2, "A-1", "shipped", 0.0, shipped],
            ["SO-2", 1, "A-2", "Cancelled", 0.25, null],
        ], "WRITE");

        var upsert = await ProposeAsync(lake.Path, "empower_salesorderline");
        var insert = await ProposeAsync(lake.Path, "empower_salesorderline", JobMode.Insert);

        Assert.Equal(
            [("order_number", "empower_ordernumber", "value"), ("line_number", "empower_linenumber", "value"),
                ("account_number", "empower_accountid", "lookup"),
             ("status", "empower_status", "choice"), ("discount", "empower_discount", "value"), ("shipped_on", "empower_shippedon", "value")],
            Mapped(upsert));
        Assert.Equal("'account_number' is named like 'accountnumber', the alternate key of 'account' that 'empower_accountid' looks up",
            upsert.Columns[2].Evidence);
        var lookup = JobDefinitionLoader.Parse(upsert.Json, "scaffolded.json").Columns[2].Lookup!;
        Assert.Equal(("empower_accountid", "account", "accountnumber"), (lookup.Attribute, lookup.Table, Assert.Single(lookup.Key)));
        Assert.EndsWith("every sampled value is one of its labels", upsert.Columns[3].Evidence, StringComparison.Ordinal);
        Assert.StartsWith("alternate key 'empower_orderline_key' (empower_ordernumber, empower_linenumber): every attribute is mapped; 3 distinct values",
            upsert.Match, StringComparison.Ordinal);
        Assert.Equal([new RequiredAttribute("empower_name", "String", "SystemRequired")], upsert.Required);
        Assert.True(upsert.Valid, string.Join("\n", upsert.Problems));

        Assert.Equal(["attribute 'empower_name' is required by Dataverse to create a 'empower_salesorderline' record but no column maps to it; add a " +
            "mapping or a constant."], insert.Problems);
        Assert.Contains("\"mode\": \"insert\"", insert.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_target_table_is_refused_with_the_nearest_table()
    {
        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => ProposeAsync(TestTables.DeltaPath("cdf-table"), "contcat"));

        Assert.StartsWith("--table 'contcat': Cannot load the metadata of the Dataverse table 'contcat' (did you mean 'contact'?)",
            Assert.Single(ex.Problems), StringComparison.Ordinal);
    }
}
