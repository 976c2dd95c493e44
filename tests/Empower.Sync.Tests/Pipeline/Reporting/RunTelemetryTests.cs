using System.Diagnostics;
using Empower.Dataverse.Emulator.Auth;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;
using Empower.Sync.Telemetry;
using Empower.Testing.Dataverse;
using Empower.Testing.Emulator;
using Empower.Testing.Jobs;
using Empower.Testing.Lake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Empower.Sync.Tests.Pipeline.Reporting;

/// <summary>A whole run exported with OpenTelemetry's in-memory exporters: the documented names, tags and correlation, and nothing secret.</summary>
[Trait("Category", "Pipeline")]
public sealed class RunTelemetryTests
{
    private const string JobName = "telemetry-people";

    [Fact]
    public async Task A_run_exports_its_stage_and_request_spans_in_one_trace_and_its_metrics_without_secrets_or_row_values()
    {
        using var lake = TempTable.Empty();
        using var state = TempTable.Empty();
        var writer = new DeltaAppendWriter(new LocalLakeStorage(lake.Path), PeopleTable.Schema, TimeProvider.System);
        for (int commit = 0; commit < 2; commit++)
        {
            await writer.AppendAsync([.. Enumerable.Range(commit * 200, 200).Select(i => new object?[] { $"tele{i}@example.com", $"Surname{i}" })], "WRITE");
        }
        var job = new PeopleJob(lake.Path, JobName).With("batchSize", 100).Definition;
        await using var server = await EmulatorServer.StartAsync(EmulatorSettings.Fast());

        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var logs = new List<LogRecord>();
        var settings = EmulatorDataverse.Settings(server, 2);
        settings["Empower:Pipeline:StateLocation"] = state.Path;
        settings["Empower:Pipeline:PartitionMaxRows"] = "200";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        string runId = $"tele-{Guid.NewGuid():N}";
        using (var outer = new ActivitySource("Empower.Tests.Telemetry"))
        {
            await using (var host = await Empower.InProcess.SyncRunner.StartAsync(configuration, configureServices: services =>
            {
                // Trace for Empower's categories whatever Logging__LogLevel__Default the test run sets.
                services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFilter("Empower", LogLevel.Trace));
                services.AddOpenTelemetry().AddEmpowerInstrumentation("empower-tests")
                    .WithTracing(t => t.AddSource(outer.Name).AddInMemoryExporter(spans))
                    .WithMetrics(m => m.AddInMemoryExporter(metrics))
                    .WithLogging(l => l.AddInMemoryExporter(logs));
            }))
            {
                // The providers start with the host; resolving them here is how the test flushes them at the end.
                var tracerProvider = host.Services.GetRequiredService<TracerProvider>();
                var meterProvider = host.Services.GetRequiredService<MeterProvider>();
                var loggerProvider = host.Services.GetRequiredService<LoggerProvider>();
                using (outer.StartActivity("test run"))
                {
                    var summary = await PipelineHost.RunAsync(host, job, runId);
                    Assert.Equal(400, summary.Written);
                }

                tracerProvider.ForceFlush();
                meterProvider.ForceFlush();
                loggerProvider.ForceFlush();
            }
        }

        var run = spans.Where(s => Equals(s.GetTagItem(TelemetryTags.Run), runId)).ToList();
        Assert.Equal(["sync.finalize", "sync.plan", "sync.publish"], run.Select(s => s.OperationName).Distinct().Order());
        Assert.Equal(2, run.Count(s => s.OperationName == "sync.publish"));
        Assert.All(run, s => Assert.Equal((JobName, "contact"), ((string?)s.GetTagItem(TelemetryTags.Job), (string?)s.GetTagItem(TelemetryTags.Table))));
        Assert.Equal([0, 1], run.Where(s => s.OperationName == "sync.publish").Select(s => (int)s.GetTagItem(TelemetryTags.Partition)!).Order());

        // One trace per run: the orchestration's spans, the stages and every Dataverse request they sent.
        var traceId = Assert.Single(run.Select(s => s.TraceId).Distinct());
        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var requests = trace.Where(s => s.OperationName.StartsWith("dataverse.", StringComparison.Ordinal)).ToList();
        Assert.Contains(requests, r => r.OperationName == "dataverse.bulk" && Equals(r.GetTagItem("empower.dataverse.entity_set"), "contacts"));
        Assert.All(requests, r => Assert.StartsWith("empower-app-", (string)r.GetTagItem("empower.principal")!, StringComparison.Ordinal));
        var ids = trace.ToDictionary(s => s.SpanId);
        Assert.All(requests.Where(r => r.OperationName == "dataverse.bulk"), r => Assert.Equal("sync.publish", ids[r.ParentSpanId].OperationName));
        Assert.Contains(trace, s => s.Source.Name == TelemetryRegistration.DurableTaskSource);

        var names = metrics.Select(m => m.Name).ToHashSet();
        foreach (string name in new[] { "empower.dataverse.requests", "empower.dataverse.request.duration", "empower.dataverse.rows",
            "empower.lake.rows_read", "empower.sync.rows", "empower.sync.runs", "empower.sync.run.duration" })
        {
            Assert.Contains(name, names);
        }

        Assert.Equal(400, Sum(metrics, "empower.sync.rows", ("empower.outcome", "written")));
        Assert.Equal(1, Sum(metrics, "empower.sync.runs", ("empower.status", "succeeded")));
        Assert.Contains(logs, l => l.EventId.Id == 3001 && l.CategoryName!.StartsWith("Empower.", StringComparison.Ordinal));

        var tokens = server.Services.GetRequiredService<TokenService>();
        var exported = spans.SelectMany(s => s.TagObjects.Select(t => t.Value?.ToString()).Append(s.DisplayName))
            .Concat(logs.SelectMany(l => (l.Attributes ?? []).Select(a
                => a.Value?.ToString()).Append(l.FormattedMessage).Append(l.Body).Append(l.Exception?.ToString())))
            .Concat(metrics.SelectMany(Tags))
            .OfType<string>().ToList();
        Assert.NotEmpty(exported);
        Assert.DoesNotContain(exported, v => v.Contains(EmulatorDataverse.Secret, StringComparison.Ordinal)
            || v.Contains("Bearer", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(exported, v => v.Contains("@example.com", StringComparison.Ordinal) || v.Contains("Surname", StringComparison.Ordinal));
        Assert.DoesNotContain(exported, v => v.Length >= 16 && tokens.Validate(v) is not null);
    }

    private static long Sum(List<Metric> metrics, string name, (string Key, string Value) tag)
    {
        long sum = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                bool job = false, match = false;
                foreach (var t in point.Tags)
                {
                    job |= t.Key == TelemetryTags.Job && Equals(t.Value, JobName);
                    match |= t.Key == tag.Key && Equals(t.Value, tag.Value);
                }

                if (job && match)
                {
                    sum = Math.Max(sum, point.GetSumLong());
                }
            }
        }

        return sum;
    }

    private static IEnumerable<string?> Tags(Metric metric)
    {
        var values = new List<string?>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            foreach (var t in point.Tags)
            {
                values.Add(t.Value?.ToString());
            }
        }

        return values;
    }
}
