using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Tests.Schema;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("Emulator:Limits:WindowSeconds", "0", "Emulator:Limits:WindowSeconds")]
    [InlineData("Emulator:Limits:MaxConcurrency", "0", "Emulator:Limits:MaxConcurrency")]
    [InlineData("Emulator:Cost:CreatePerRecordMs", "-1", "Emulator:Cost:CreatePerRecordMs")]
    [InlineData("Emulator:Faults:ServiceUnavailableRate", "1.5", "Emulator:Faults:ServiceUnavailableRate")]
    [InlineData("Emulator:DopHint", "0", "Emulator:DopHint")]
    [InlineData("Emulator:Principals:0:ClientId", "only-an-id", "Emulator:Principals:0:ClientSecret")]
    public async Task Invalid_settings_stop_start_up_naming_the_key(string key, string value, string named)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorServer.StartAsync(EmulatorSettings.Fast((key, value))));

        Assert.Contains(error.Failures, f => f.StartsWith(named, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fault_rates_adding_up_to_more_than_one_are_refused()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Faults:ServiceUnavailableRate", "0.6"), ("Emulator:Faults:ConnectionResetRate", "0.6"))));

        Assert.Contains(error.Failures, f => f.Contains("add up to 1.2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_settings_stop_start_up_naming_the_key_and_the_keys_of_its_section()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => EmulatorServer.StartAsync(EmulatorSettings.Fast(
            ("Emulator:Cost:CreateMsPerRecord", "5"), ("Emulator:Limit:Enabled", "true"), ("Emulator:Principals:0:Secret", "x"))));

        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:Cost:CreateMsPerRecord is not an emulator setting; Emulator:Cost has",
            StringComparison.Ordinal) && f.Contains("Emulator:Cost:CreatePerRecordMs", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:Limit is not an emulator setting", StringComparison.Ordinal)
            && f.Contains("Emulator:Limits", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Emulator:Principals:0:Secret is not an emulator setting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_schema_file_that_cannot_be_used_stops_start_up_naming_it()
    {
        string file = Path.Combine(Path.GetTempPath(), $"bad-schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(file,
            """{ "tables": [ { "logicalName": "thing", "entitySetName": "things", "attributes": [ { "logicalName": "x", "type": "Nonsense" } ] } ] }""");
        try
        {
            var error = await Assert.ThrowsAsync<Empower.Dataverse.Emulator.Schema.SchemaException>(()
                => EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Schema", file))));

            Assert.Contains(file, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
