using System.Text.Json.Nodes;
using Empower.Sync.Dataverse;
using Empower.Sync.Dataverse.Writing;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Reading;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Tables;
using Empower.Sync.Mapping;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Sync.Tests.Mapping;

/// <summary>Jobs checked against a real Delta table and the emulator's metadata, then rows mapped and written.</summary>
public sealed class MappingTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private static JobDefinition Job(string columns, string match = """{ "key": ["emailaddress1"] }""", string mode = "upsert") =>
        JobDefinitionLoader.Parse($$"""
            { "name": "people", "source": { "path": "x" }, "target": { "table": "contact" }, "mode": "{{mode}}",
              "match": {{match}}, "columns": [ {{columns}} ] }
            """, "people.json");

    private const string GoodColumns = """
        { "source": "name", "attribute": "emailaddress1" },
        { "source": "name", "attribute": "lastname" },
        { "source": "id", "attribute": "numberofchildren" },
        { "source": "birthday", "attribute": "birthdate" },
        { "constant": "Imported from the lake", "attribute": "description" }
        """;

    private static async Task<LakeTable> CdfTableAsync() =>
        await LakeTableOpener.OpenAsync(new LocalLakeStorage(TestTables.DeltaPath("cdf-table")), TableRequest.Latest);

    [Fact]
    public async Task Every_problem_in_a_job_is_reported_with_the_column_the_attribute_and_the_fix()
    {
        using var client = DataverseClient.Create(EmulatorDataverse.Options(emulator.Server, principals: 1));
        var table = await CdfTableAsync();
        var job = Job("""
            { "source": "nmae", "attribute": "lastname" },
            { "source": "name", "attribute": "lastnam" },
            { "source": "birthday", "attribute": "numberofchildren" },
            { "source": "name", "lookup": { "attribute": "parentcustomerid", "table": "account", "key": ["name"] } },
            { "source": "id", "attribute": "gendercode", "choices": { "Other": 9 } },
            { "source": "name", "attribute": "parentcustomerid" }
            """, """{ "key": ["lastname"] }""");

        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => MappingPlanner.PlanAsync(job, table.Columns, t => client.Metadata.GetAsync(t)));

        Assert.Contains(ex.Problems, p => p == "column 'nmae' is not in the source table (did you mean 'name'?).");
        Assert.Contains(ex.Problems, p => p.StartsWith("column 'name' maps to 'lastnam', which is not an attribute of 'contact' (did you mean 'lastname'?)",
            StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("column 'birthday' is a date but attribute 'numberofchildren' is Integer", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("lookup 'parentcustomerid' binds by [name], which is not a single-column alternate key of 'account'",
            StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("choices maps 'Other' to 9, which is not a value of 'gendercode'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("attribute 'parentcustomerid' is a lookup: map it with \"lookup\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("match.key [lastname] is not an alternate key of 'contact'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("match.key attribute 'lastname' must be mapped from a source column", StringComparison.Ordinal));
        Assert.Equal(8, ex.Problems.Count);
    }

    [Fact]
    public async Task A_misspelt_target_table_gets_the_nearest_table_of_the_environment()
    {
        using var client = DataverseClient.Create(EmulatorDataverse.Options(emulator.Server, principals: 1));
        var table = await CdfTableAsync();
        var job = JobDefinitionLoader.Parse("""
            { "name": "people", "source": { "path": "x" }, "target": { "table": "contcat" }, "match": { "key": ["emailaddress1"] },
              "columns": [ { "source": "name", "attribute": "emailaddress1" } ] }
            """, "people.json");

        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => MappingPlanner.PlanAsync(job, table.Columns, t => client.Metadata.GetAsync(t)));

        Assert.StartsWith("target.table 'contcat': Cannot load the metadata of the Dataverse table 'contcat' (did you mean 'contact'?):",
            Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insert_without_a_key_and_unmapped_required_attributes_are_refused()
    {
        using var client = DataverseClient.Create(EmulatorDataverse.Options(emulator.Server, principals: 1));
        var table = await CdfTableAsync();
        var job = JobDefinitionLoader.Parse("""
            { "name": "lines", "source": { "path": "x" }, "target": { "table": "empower_salesorderline" }, "mode": "insert",
              "columns": [ { "source": "id", "attribute": "empower_linenumber" } ] }
            """, "lines.json");

        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => MappingPlanner.PlanAsync(job, table.Columns, t => client.Metadata.GetAsync(t)));

        Assert.Contains(ex.Problems, p => p.StartsWith("mode 'insert' needs match.key", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("attribute 'empower_name' is required by Dataverse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delta_table_is_mapped_and_upserted_into_dataverse()
    {
        using var client = DataverseClient.Create(EmulatorDataverse.Options(emulator.Server, principals: 2));
        var storage = new LocalLakeStorage(TestTables.DeltaPath("cdf-table"));
        var table = await CdfTableAsync();
        var plan = await MappingPlanner.PlanAsync(Job(GoodColumns), table.Columns, t => client.Metadata.GetAsync(t));
        var mapper = new RowMapper(plan);
        var records = new List<RecordToWrite>();
        long next = 0;
        await foreach (var batch in new LakeTableReader(storage, table).ReadAllAsync())
        {
            records.AddRange(mapper.Map(batch, _ => next++).Select(m => m.Record!));
        }

        var result = await client.Writer.WriteAsync(new WriteRequest(plan.Target, WriteMode.Upsert, plan.KeyAttributes), records);

        Assert.Equal(9, result.Count(RecordOutcome.Written));
        var stored = await emulator.Client.GetAsync("contacts(emailaddress1='Claire')?$select=lastname,numberofchildren,birthdate,description");
        var claire = (await stored.Content.ReadAsStringAsync()) is { } body ? JsonNode.Parse(body)! : null;
        Assert.Equal("Claire", (string?)claire!["lastname"]);
        Assert.Equal(8, (int?)claire["numberofchildren"]);
        Assert.StartsWith("2023-12-25", (string?)claire["birthdate"]);
        Assert.Equal("Imported from the lake", (string?)claire["description"]);
    }

    [Fact]
    public async Task Values_that_do_not_fit_become_prepare_failures_naming_file_row_and_attribute()
    {
        using var client = DataverseClient.Create(EmulatorDataverse.Options(emulator.Server, principals: 1));
        var storage = new LocalLakeStorage(TestTables.DeltaPath("cdf-table"));
        var table = await CdfTableAsync();
        var plan = await MappingPlanner.PlanAsync(
            Job("""
                { "source": "name", "attribute": "emailaddress1" },
                { "source": "name", "attribute": "gendercode" },
                { "source": "id", "attribute": "numberofchildren" }
                """, mode: "insert"),
            table.Columns,
            t => client.Metadata.GetAsync(t));

        var rows = new List<MappedRow>();
        await foreach (var batch in new LakeTableReader(storage, table).ReadAllAsync())
        {
            rows.AddRange(new RowMapper(plan).Map(batch, r => r));
        }

        Assert.Equal(9, rows.Count);
        Assert.All(rows, r => Assert.Null(r.Record));
        var failure = rows[0].Failure!;
        Assert.Equal(("name", "gendercode"), (failure.Column, failure.Attribute));
        Assert.StartsWith("birthday=", failure.File, StringComparison.Ordinal);
        Assert.Contains("is not a choice of attribute 'gendercode' (choices: 1 = Male, 2 = Female)", failure.Reason);
    }
}
