using Empower.Dataverse.Emulator.Certificates;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Dataverse.Emulator.Options;
using Microsoft.Extensions.Options;

var app = EmulatorApp.Build(args);
await app.StartAsync();
var (http, https) = EmulatorApp.BoundAddresses(app);
var options = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
var thumbprint = app.Services.GetRequiredService<EmulatorCertificate>().Thumbprint;
Console.WriteLine($"""
    Empower Dataverse emulator (development only)
      Web API         {http}api/data/v9.2/
      Token endpoint  {https ?? http}{options.Tenant}/oauth2/v2.0/token
      Certificate     SHA-256 {thumbprint ?? "(HTTPS off)"}
      Stats           {http}_emulator/stats
    Press Ctrl+C to stop.
    """);
await app.WaitForShutdownAsync();
