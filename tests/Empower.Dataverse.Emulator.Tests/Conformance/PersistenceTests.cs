using System.Net;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

public sealed class PersistenceTests
{
    [Fact]
    public async Task A_SQLite_file_and_a_certificate_path_survive_a_restart()
    {
        string folder = Directory.CreateTempSubdirectory("empower-emulator-").FullName;
        var settings = EmulatorSettings.Fast(
            ("Emulator:Storage:Path", Path.Combine(folder, "org.db")),
            ("Emulator:Https:CertificatePath", Path.Combine(folder, "dev.pfx")));
        try
        {
            string thumbprint;
            await using (var first = await EmulatorServer.StartAsync(settings))
            {
                using var client = await EmulatorClient.ConnectAsync(first);
                await client.PostAsync("accounts", """{"name":"Kept","accountnumber":"KEEP-1"}""");
                thumbprint = first.CertificateThumbprint!;
            }

            await using var second = await EmulatorServer.StartAsync(settings);
            using var again = await EmulatorClient.ConnectAsync(second);
            var record = await again.GetAsync("accounts(accountnumber='KEEP-1')");
            var created = await again.PostAsync("accounts", """{"name":"Next","accountnumber":"KEEP-2"}""", ("Prefer", "return=representation"));

            Assert.Equal(HttpStatusCode.OK, record.StatusCode);
            Assert.Equal(thumbprint, second.CertificateThumbprint);
            Assert.True((long)(await created.JsonAsync())["versionnumber"]! > (long)(await record.JsonAsync())["versionnumber"]!);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
