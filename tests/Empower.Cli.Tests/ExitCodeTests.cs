using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.InProcess;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;

namespace Empower.Cli.Tests;

/// <summary>The exit-code contract of every command (README, "Exit codes"), and <c>--json</c>'s one object on errors.</summary>
public sealed class ExitCodeTests
{
    private static string Job(string folder, string column = "name")
        => SyncCommandTests.WriteJob(folder, $$"""{ "source": "{{column}}", "attribute": "emailaddress1" }""");

    /// <summary>Settings whose Dataverse and token endpoint are closed loopback ports: nothing answers.</summary>
    private static string Unreachable(string folder)
    {
        string path = Path.Combine(folder, "unreachable.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            Empower = new
            {
                Dataverse = new
                {
                    Url = $"http://127.0.0.1:{StablePorts.Pick()}/",
                    TenantId = "emulator",
                    AuthorityHost = $"https://127.0.0.1:{StablePorts.Pick()}/",
                    Principals = new[] { new { ClientId = "empower-app-1", ClientSecret = "emulator-secret" } },
                    MaxAttempts = 1,
                },
                Pipeline = new { StateLocation = Path.Combine(folder, "state") },
            },
        }));
        return path;
    }

    public static TheoryData<string, string[]> ArgumentProblems => new()
    {
        { "sync without --job", ["sync"] },
        { "validate without --job", ["validate"] },
        { "failed-rows list without --job", ["failed-rows", "list"] },
        { "an unknown option", ["sync", "--job", "x.json", "--no-such-option"] },
        { "an unknown command", ["publish"] },
        { "a job file that does not exist", ["sync", "--job", "/no/such/job.json"] },
        { "validate of a job file that does not exist", ["validate", "--job", "/no/such/job.json"] },
        { "a settings file that does not exist", ["validate", "--job", "/no/such/job.json", "--settings", "/no/such/settings.json"] },
        { "inspect of a path that is no table", ["inspect", "/no/such/table"] },
        { "inspect with a negative --rows", ["inspect", ".", "--rows", "-1"] },
        { "inspect of a version the table does not have", ["inspect", TestTables.DeltaPath("simple_table"), "--version", "9"] },
        { "time travel on a Parquet folder", ["inspect", Path.GetDirectoryName(TestTables.ParquetPath("alltypes_plain.parquet"))!, "--version", "0"] },
        { "emulator with a port out of range", ["emulator", "--port", "70000"] },
        { "a run id that leaves the state folder", ["sync", "--job", "x.json", "--run-id", "../../../../escaped-run"] },
    };

    [Theory]
    [MemberData(nameof(ArgumentProblems))]
    public async Task Argument_and_path_problems_exit_with_2_and_a_message(string problem, string[] args)
    {
        var (exit, output, error) = await CliRunner.RunAsync(args);

        Assert.True(exit == 2, $"{problem}: exit {exit}\n{output}{error}");
        Assert.False(string.IsNullOrWhiteSpace(output + error), problem);
    }

    [Fact]
    public async Task Missing_dataverse_settings_exit_with_2_from_sync_and_validate_and_start_nothing()
    {
        using var folder = TempTable.Empty();
        string job = Job(folder.Path);

        foreach (string command in new[] { "sync", "validate" })
        {
            var (exit, output, _) = await CliRunner.RunAsync(new Dictionary<string,
                string> { ["Empower__Pipeline__StateLocation"] = Path.Combine(folder.Path, "state") }, command, "--job", job);

            Assert.True(exit == 2, $"{command}: {exit} {output}");
            Assert.Contains("Empower:Dataverse:Url is required", output);
        }

        Assert.False(Directory.Exists(Path.Combine(folder.Path, "state")));
    }

    [Fact]
    public async Task Problems_in_several_settings_sections_are_all_named_in_one_error()
    {
        using var folder = TempTable.Empty();
        var environment = new Dictionary<string, string>
        {
            ["Empower__Pipeline__StateLocation"] = Path.Combine(folder.Path, "state"),
            ["Empower__Pipeline__Parallelism"] = "0",
            ["Empower__Lake__Authentication"] = "ClientSecret",
        };

        var (exit, output, _) = await CliRunner.RunAsync(environment, "validate", "--job", Job(folder.Path));

        Assert.True(exit == 2, output);
        Assert.Contains("Empower:Dataverse:Url is required", output);
        Assert.Contains("Empower:Pipeline:Parallelism is 0", output);
        Assert.Contains("Empower:Lake:TenantId is required", output);
    }

    [Fact]
    public async Task A_url_without_its_scheme_is_reported_as_invalid_not_missing()
    {
        using var folder = TempTable.Empty();
        string job = Job(folder.Path);

        var (exit, output, _) = await CliRunner.RunAsync(new Dictionary<string, string> { ["Empower__Dataverse__Url"] = "contoso.crm.dynamics.com" },
            "validate", "--job", job);

        Assert.True(exit == 2, output);
        Assert.Contains("Empower:Dataverse:Url 'contoso.crm.dynamics.com' is not a valid environment URL: give the whole URL with its scheme", output);
    }

    [Fact]
    public async Task A_column_typo_exits_with_2_from_sync_as_from_validate_and_writes_nothing()
    {
        using var folder = TempTable.Empty();
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());
        string job = Job(folder.Path, "nmae");
        string settings = SyncCommandTests.WriteSettings(folder.Path, server);

        var (sync, output, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings);
        var (validate, _, _) = await CliRunner.RunAsync("validate", "--job", job, "--settings", settings);

        Assert.Equal((2, 2), (sync, validate));
        Assert.Contains("did you mean 'name'?", output);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "state")));
    }

    [Fact]
    public async Task An_unreachable_dataverse_exits_with_3_and_the_reason_and_json_gets_one_object()
    {
        using var folder = TempTable.Empty();
        string job = Job(folder.Path);
        string settings = Unreachable(folder.Path);

        var (validate, text, _) = await CliRunner.RunAsync("validate", "--job", job, "--settings", settings);
        var (sync, json, _) = await CliRunner.RunAsync("sync", "--job", job, "--settings", settings, "--json");

        var dataverse = JsonDocument.Parse(File.ReadAllText(settings)).RootElement.GetProperty("Empower").GetProperty("Dataverse");
        string authority = dataverse.GetProperty("AuthorityHost").GetString()!;
        string reason = $"client id empower-app-1 cannot reach the token endpoint {authority}: connection refused — is the emulator running, and is " +
            $"Empower:Dataverse:AuthorityHost right?";
        Assert.True(validate == 3, text);
        Assert.Contains(reason, text);
        Assert.Equal(3, sync);
        var error = JsonDocument.Parse(json.Trim()).RootElement;
        Assert.Equal(3, error.GetProperty("exitCode").GetInt32());
        Assert.Contains(reason, error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_damaged_table_exits_with_3_not_2_and_names_the_commit()
    {
        using var copy = TempTable.Copy("simple_table");
        string commit = copy.File("_delta_log/00000000000000000004.json");
        File.WriteAllText(commit, File.ReadAllText(commit)[..^40]);

        var (exit, output, error) = await CliRunner.RunAsync("inspect", copy.Path);

        Assert.True(exit == 3, $"exit {exit}\n{output}{error}");
        Assert.Contains("00000000000000000004.json", output + error);
    }

    [Fact]
    public async Task Json_errors_are_one_object_with_the_exit_code()
    {
        var (exit, output, _) = await CliRunner.RunAsync("sync", "--job", "/no/such/job.json", "--json");

        Assert.Equal(2, exit);
        var error = JsonDocument.Parse(output.Trim()).RootElement;
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Contains("/no/such/job.json", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Version_prints_the_version_and_exits_with_0()
    {
        var (exit, output, _) = await CliRunner.RunAsync("--version");

        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }
}
