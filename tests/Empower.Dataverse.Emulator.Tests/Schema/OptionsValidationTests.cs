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
}
