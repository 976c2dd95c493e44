using Empower.Bench.Dataverse;
using Empower.Bench.Lake;
using Empower.Bench.Pipeline;

// dotnet run -c Release --project bench/Empower.Bench -- lake-reader [--rows 1000000,5000000] [--data <folder>]
// dotnet run -c Release --project bench/Empower.Bench -- dataverse-client [--seconds 30] [--web-servers 1]
// dotnet run -c Release --project bench/Empower.Bench -- change-detection [--rows 1000000]
// dotnet run -c Release --project bench/Empower.Bench -- chaos-soak [--seconds 600]
// dotnet run -c Release --project bench/Empower.Bench -- ingest [--rows 50000] [--changes 10]
// dotnet run -c Release --project bench/Empower.Bench -- sync-memory [--rows 1000000,5000000] [--repeat 3]
return args switch
{
    ["dataverse-client", .. var rest] => await DataverseClientBenchmark.RunAsync(rest),
    ["lake-reader", .. var rest] => await LakeReaderBenchmark.RunAsync(rest),
    ["lake-reader-child", .. var rest] => await LakeReaderBenchmark.RunChildAsync(rest),
    ["change-detection", .. var rest] => await ChangeDetectionBenchmark.RunAsync(rest),
    ["chaos-soak", .. var rest] => await ChaosSoakBenchmark.RunAsync(rest),
    ["ingest", .. var rest] => await IngestBenchmark.RunAsync(rest),
    ["sync-memory", .. var rest] => await SyncMemoryBenchmark.RunAsync(rest),
    ["sync-memory-child", .. var rest] => await SyncMemoryBenchmark.RunChildAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Empower.Bench lake-reader [--rows 1000000,5000000] [--data <folder>] | dataverse-client [--seconds 30] [--web-servers 1] | " +
        "change-detection [--rows 1000000] | chaos-soak [--seconds 600] | ingest [--rows 50000] [--changes 10] | sync-memory [--rows 1000000,5000000] [--repeat 3]");
    return 2;
}
