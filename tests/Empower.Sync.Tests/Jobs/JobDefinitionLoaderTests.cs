using Empower.Sync.Jobs;

namespace Empower.Sync.Tests.Jobs;

public sealed class JobDefinitionLoaderTests
{
    private const string Valid = """
        {
          // comments are allowed
          "name": "accounts",
          "source": { "path": "abfss://exports@contoso.dfs.core.windows.net/accounts" },
          "target": { "table": "account" },
          "mode": "upsert",
          "match": { "key": ["accountnumber"] },
          "columns": [
            { "source": "account_number", "attribute": "accountnumber" },
            { "constant": "Imported", "attribute": "description" },
            { "source": "parent", "lookup": { "attribute": "parentaccountid", "table": "account", "key": ["accountnumber"] } },
            { "source": "industry", "attribute": "industrycode", "choices": { "Accounting": 1 } }
          ],
          "nulls": "clear",
          "schedule": "nightly",
          "onNewCommit": true
        }
        """;

    [Theory]
    [InlineData("café")]
    [InlineData("two words")]
    [InlineData("")]
    public void A_job_name_that_could_not_be_a_route_or_a_blob_path_is_refused_by_the_same_rule_as_over_HTTP(string name)
    {
        var ex = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(Valid.Replace("\"accounts\"",
            System.Text.Json.JsonSerializer.Serialize(name), StringComparison.Ordinal), "accounts.json"));

        Assert.False(JobNames.IsValid(name));
        Assert.Contains(ex.Problems, p => p.StartsWith($"name '{name}' must be 1 to 100 ASCII letters", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_made_from_a_folder_is_a_valid_job_name()
    {
        Assert.Equal("caf--exports", JobNames.From("café exports"));
        Assert.Equal(100, JobNames.From(new string('a', 150)).Length);
        Assert.Equal("job", JobNames.From("ééé"));
        Assert.True(JobNames.IsValid(JobNames.From("sales/2026 (eu)")));
    }

    [Fact]
    public void A_valid_job_reads_with_its_defaults()
    {
        var job = JobDefinitionLoader.Parse(Valid, "accounts.json");

        Assert.Equal(JobMode.Upsert, job.Mode);
        Assert.Equal(SourceFormat.Delta, job.Source.Format);
        Assert.Equal(NullHandling.Clear, job.Nulls);
        Assert.Equal(DuplicateHandling.LastWins, job.Duplicates);
        Assert.Equal("Imported", job.Columns[1].Constant!.Value.GetString());
        Assert.Equal(["accountnumber"], job.Columns[2].Lookup!.Key);
        Assert.Equal(1, job.Columns[3].Choices!["Accounting"]);
        Assert.Equal(ChangeDetectionMode.LakeState, job.ChangeDetection);
        Assert.Equal(DeleteHandling.Ignore, job.Deletes);
    }

    [Theory]
    [InlineData("lake-state", "ignore", ChangeDetectionMode.LakeState, DeleteHandling.Ignore)]
    [InlineData("target-compare", "delete", ChangeDetectionMode.TargetCompare, DeleteHandling.Delete)]
    [InlineData("none", "deactivate", ChangeDetectionMode.None, DeleteHandling.Deactivate)]
    public void Change_detection_and_deletes_read_as_written(string mode, string deletes, ChangeDetectionMode expectedMode, DeleteHandling expectedDeletes)
    {
        var job = JobDefinitionLoader.Parse(Valid.Replace("\"onNewCommit\": true",
            $"\"onNewCommit\": true, \"changeDetection\": \"{mode}\", \"deletes\": \"{deletes}\"", StringComparison.Ordinal), "accounts.json");

        Assert.Equal((expectedMode, expectedDeletes), (job.ChangeDetection, job.Deletes));
        Assert.Equal((mode, deletes), (JobDefinitionLoader.NameOf(job.ChangeDetection), JobDefinitionLoader.NameOf(job.Deletes)));
    }

    [Fact]
    public void Target_compare_with_insert_and_an_unknown_mode_are_refused_with_the_fix()
    {
        string insert = Valid.Replace("\"mode\": \"upsert\"", "\"mode\": \"insert\", \"changeDetection\": \"target-compare\"", StringComparison.Ordinal);
        string unknown = Valid.Replace("\"onNewCommit\": true", "\"onNewCommit\": true, \"changeDetection\": \"hash\"", StringComparison.Ordinal);

        var insertError = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(insert, "accounts.json"));
        var unknownError = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(unknown, "accounts.json"));

        Assert.Contains("changeDetection 'target-compare' needs mode 'upsert'", insertError.Message, StringComparison.Ordinal);
        Assert.Contains("changeDetection", unknownError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_names_the_file_line_and_position()
    {
        var ex = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse("{\n  \"name\": \"a\",\n  \"source\": { \"path\": }\n}", "bad.json"));

        Assert.Contains("bad.json is not a valid job file at line 3", Assert.Single(ex.Problems));
    }

    [Fact]
    public void Unknown_properties_and_missing_fields_are_errors()
    {
        var unknown = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(Valid.Replace("\"nulls\"", "\"nullz\"",
            StringComparison.Ordinal), "a.json"));
        var missing = Assert.Throws<JobConfigurationException>(()
            => JobDefinitionLoader.Parse("""{ "name": "a", "source": { "path": "x" }, "columns": [] }""", "b.json"));

        Assert.Contains("nullz", unknown.Problems[0]);
        Assert.Contains("target", missing.Problems[0]);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        const string json = """
            { "name": "bad name!", "source": { "path": "x", "format": "parquet", "version": 3 }, "target": { "table": "account" },
              "columns": [ { "attribute": "name" }, { "source": "a", "constant": 1, "attribute": "b" } ], "batchSize": 5000, "schedule": "hourly" }
            """;

        var ex = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(json, "c.json"));

        Assert.Equal(7, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("name 'bad name!'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("columns[0] needs exactly one of 'source'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("columns[1] needs exactly one of 'source'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("mode 'upsert' needs 'match'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("batchSize 5000", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("schedule 'hourly'", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("source.version applies to Delta", StringComparison.Ordinal));
        Assert.Contains("The job 'bad name!' cannot run:", ex.Message);
    }

    [Fact]
    public void A_setting_with_an_unknown_value_lists_the_allowed_values_and_what_it_got()
    {
        var mode = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(Valid.Replace("\"mode\": \"upsert\"", "\"mode\": \"merge\"",
            StringComparison.Ordinal), "a.json"));
        var detection = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(
            Valid.Replace("\"onNewCommit\": true", "\"onNewCommit\": true, \"changeDetection\": \"hash\"", StringComparison.Ordinal), "a.json"));

        Assert.Equal("a.json at line 6, position 18: 'mode' must be one of \"insert\", \"upsert\" (got \"merge\").", Assert.Single(mode.Problems));
        Assert.EndsWith("'changeDetection' must be one of \"lake-state\", \"target-compare\", \"none\" (got \"hash\").", Assert.Single(detection.Problems),
            StringComparison.Ordinal);
        Assert.DoesNotContain("Empower.Sync", mode.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("\" -1 \"")]
    public void A_setting_given_as_a_number_is_refused_like_an_unknown_value(string value)
    {
        var ex = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(Valid.Replace("\"mode\": \"upsert\"", $"\"mode\": {value}",
            StringComparison.Ordinal), "a.json"));

        Assert.StartsWith("a.json at line 6, position ", Assert.Single(ex.Problems), StringComparison.Ordinal);
        Assert.EndsWith($"'mode' must be one of \"insert\", \"upsert\" (got {value}).", Assert.Single(ex.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_values_are_read_ignoring_case_and_named_as_job_files_spell_them()
    {
        var job = JobDefinitionLoader.Parse(Valid.Replace("\"onNewCommit\": true", "\"onNewCommit\": true, \"changeDetection\": \"Target-Compare\"",
            StringComparison.Ordinal).Replace("\"mode\": \"upsert\"", "\"mode\": \"UPSERT\"", StringComparison.Ordinal), "a.json");

        Assert.Equal(JobMode.Upsert, job.Mode);
        Assert.Equal(ChangeDetectionMode.TargetCompare, job.ChangeDetection);
        Assert.Equal("target-compare", JobDefinitionLoader.NameOf(ChangeDetectionMode.TargetCompare));
        Assert.Equal("upsert", JobDefinitionLoader.NameOf(JobMode.Upsert));
    }

    [Fact]
    public void A_misspelt_property_gets_the_nearest_name_and_the_list_of_properties()
    {
        var top = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(Valid.Replace("\"columns\"", "\"colums\"",
            StringComparison.Ordinal), "a.json"));
        var nested = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(Valid.Replace("\"key\": [\"accountnumber\"] },",
            "\"keys\": [\"accountnumber\"] },", StringComparison.Ordinal), "a.json"));

        Assert.Contains("'colums' is not a job property (did you mean 'columns'?); the properties here are name, source, target, mode, match, columns,",
            Assert.Single(top.Problems), StringComparison.Ordinal);
        Assert.Contains("'keys' is not a job property (did you mean 'key'?); the properties here are primaryId, key.", Assert.Single(nested.Problems),
            StringComparison.Ordinal);
        Assert.DoesNotContain(".NET", top.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_property_for_editors_is_accepted_and_positions_stay_those_of_the_file()
    {
        string withSchema = Valid.Replace("{\n  // comments", "{\n  \"$schema\": \"../docs/job-schema.json\",\n  // comments", StringComparison.Ordinal);
        var job = JobDefinitionLoader.Parse(withSchema, "accounts.json");
        var bad = Assert.Throws<JobConfigurationException>(() => JobDefinitionLoader.Parse(withSchema.Replace("\"mode\": \"upsert\"", "\"mode\": \"merge\"",
            StringComparison.Ordinal), "a.json"));

        Assert.Equal("accounts", job.Name);
        Assert.StartsWith("a.json at line 7,", Assert.Single(bad.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_job_file_is_named()
    {
        var ex = await Assert.ThrowsAsync<JobConfigurationException>(() => JobDefinitionLoader.LoadAsync("/no/such/job.json"));

        Assert.Contains("/no/such/job.json does not exist", ex.Problems[0]);
    }
}
