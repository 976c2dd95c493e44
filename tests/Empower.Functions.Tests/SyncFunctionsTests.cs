using System.Net;
using System.Text.Json;
using Empower.Dataverse.Emulator.Hosting;
using Empower.Functions.Ingestion;
using Empower.Functions.Syncs;
using Empower.Functions.Tests.Fakes;
using Empower.Sync.Ingestion;
using Empower.Sync.Jobs;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Pipeline.Runtime;
using Empower.Sync.Pipeline.Starting;
using Empower.Testing.Emulator;
using Empower.Testing.Lake;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Empower.Functions.Tests;

/// <summary>The trigger functions themselves, called with fake HTTP requests and the in-process Durable host's client.</summary>
[Trait("Category", "Pipeline")]
public sealed class SyncFunctionsTests : IAsyncLifetime
{
    private const string Base = "http://localhost:7071/api/";
    private readonly TempTable _jobs = TempTable.Empty();
    private readonly TempTable _state = TempTable.Empty();
    private EmulatorServer _server = null!;
    private Empower.InProcess.SyncRunner _host = null!;
    private SyncStarter _starter = null!;
    private IngestStarter _ingest = null!;

    public async Task InitializeAsync()
    {
        string source = JsonSerializer.Serialize(TestTables.DeltaPath("cdf-table"));
        File.WriteAllText(Path.Combine(_jobs.Path, "people.json"), $$"""
            { "name": "people", "source": { "path": {{source}} }, "target": { "table": "contact" }, "onNewCommit": true, "schedule": "nightly",
              "match": { "key": ["emailaddress1"] }, "columns": [ { "source": "name", "attribute": "emailaddress1" } ] }
            """);
        File.WriteAllText(Path.Combine(_jobs.Path, "broken.json"), """{ "name": "broken", "mode": "sideways" }""");
        File.WriteAllText(Path.Combine(_jobs.Path, "contacts-in.json"), $$"""
            { "name": "contacts-in", "from": { "table": "contact", "columns": ["lastname"] }, "to": { "path": {{JsonSerializer.Serialize(Path.Combine(_state.Path, "contacts-in"))}} } }
            """);
        _server = await EmulatorServer.StartAsync(EmulatorSettings.Fast(("Emulator:Cost:RequestOverheadMs", "1000")));
        var settings = Testing.Dataverse.EmulatorDataverse.Settings(_server, principals: 1);
        settings["Empower:Pipeline:StateLocation"] = _state.Path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        _host = await Empower.InProcess.SyncRunner.StartAsync(configuration);
        var catalog = new JobCatalog(Options.Create(new JobCatalogOptions { Location = _jobs.Path }), Options.Create(new LakeConnectionOptions()));
        _starter = new SyncStarter(catalog, Options.Create(new PipelineOptions()), TimeProvider.System);
        _ingest = new IngestStarter(catalog, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
        _jobs.Dispose();
        _state.Dispose();
    }

    /// <summary>The status and, for refusals, the decoded <c>error</c> message (else the whole body).</summary>
    private static async Task<(HttpStatusCode Status, string Body)> Answer(Task<Microsoft.Azure.Functions.Worker.Http.HttpResponseData> call)
    {
        var response = (FakeHttpResponse)await call;
        using var body = JsonDocument.Parse(response.Text.Length == 0 ? "{}" : response.Text);
        return (response.StatusCode, body.RootElement.TryGetProperty("error", out var error) ? error.GetString()! : response.Text);
    }

    [Fact]
    public async Task Start_answers_check_status_then_conflict_and_the_run_can_be_read_once_done()
    {
        var http = new SyncHttpFunctions(_starter);

        var started = (FakeHttpResponse)await http.StartAsync(new FakeHttpRequest("POST", Base + "syncs/people", """{ "runId": "manual-1" }"""),
            _host.Client, "people");
        var again = await Answer(http.StartAsync(new FakeHttpRequest("POST", Base + "syncs/people"), _host.Client, "people"));
        await _host.Client.WaitForInstanceCompletionAsync("people");
        var run = await Answer(http.GetAsync(new FakeHttpRequest("GET", Base + "syncs/people/runs/people"), _host.Client, "people", "people"));

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Contains("people", started.Headers.GetValues("Location").Single(), StringComparison.Ordinal);
        using (var payload = JsonDocument.Parse(started.Text))
        {
            var links = payload.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.OrdinalIgnoreCase);
            Assert.Equal("people", links["id"]);
            Assert.EndsWith("/runtime/webhooks/durabletask/instances/people", links["statusQueryGetUri"], StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Contains("A run of 'people' is already in progress", again.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, run.Status);
        using var status = JsonDocument.Parse(run.Body);
        Assert.Equal("Completed", status.RootElement.GetProperty("status").GetString());
        Assert.Equal("manual-1", status.RootElement.GetProperty("summary").GetProperty("RunId").GetString());
    }

    [Fact]
    public async Task The_body_can_ask_for_a_full_read_and_a_resend()
    {
        var http = new SyncHttpFunctions(_starter);

        var started = (FakeHttpResponse)await http.StartAsync(new FakeHttpRequest("POST", Base + "syncs/people",
            """{ "runId": "resend-1", "full": true, "resend": true }"""), _host.Client, "people");
        var instance = await _host.Client.WaitForInstanceCompletionAsync("people", getInputsAndOutputs: true);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        using var input = JsonDocument.Parse(instance.SerializedInput!);
        Assert.Equal(("resend-1", true, true), (input.RootElement.GetProperty("RunId").GetString(), input.RootElement.GetProperty("Full").GetBoolean(),
            input.RootElement.GetProperty("Resend").GetBoolean()));
    }

    [Theory]
    [InlineData("nobody", "", HttpStatusCode.NotFound, "There is no job 'nobody'")]
    [InlineData("no job", "", HttpStatusCode.BadRequest, "'no job' is not a job name")]
    [InlineData("people", "[1, 2]", HttpStatusCode.BadRequest, "The body must be empty or a JSON object")]
    [InlineData("people", "{ \"runId\": ", HttpStatusCode.BadRequest, "The body must be empty or a JSON object")]
    [InlineData("broken", "", HttpStatusCode.BadRequest, "The job 'broken' is not valid")]
    [InlineData("people", "{ \"runId\": \"../../../../escaped-run\" }", HttpStatusCode.BadRequest, "The body's runId is not a valid run id")]
    public async Task A_bad_start_request_is_refused_with_its_reason_and_starts_nothing(string job, string body, HttpStatusCode expected, string message)
    {
        var http = new SyncHttpFunctions(_starter);

        var (status, text) = await Answer(http.StartAsync(new FakeHttpRequest("POST", Base + "syncs/" + Uri.EscapeDataString(job), body), _host.Client, job));

        Assert.Equal(expected, status);
        Assert.Contains(message, text, StringComparison.Ordinal);
        Assert.Null(await _host.Client.GetInstanceAsync(job));
        Assert.Null(await _host.Client.GetInstanceAsync("people"));
    }

    [Fact]
    public async Task Unknown_runs_are_not_found_for_status_and_terminate()
    {
        var http = new SyncHttpFunctions(_starter);

        var status = await Answer(http.GetAsync(new FakeHttpRequest("GET", Base + "syncs/people/runs/other"), _host.Client, "people", "other"));
        var terminate = await Answer(http.TerminateAsync(new FakeHttpRequest("POST", Base + "syncs/people/runs/people/terminate"),
            _host.Client, "people", "people"));

        Assert.Equal(HttpStatusCode.NotFound, status.Status);
        Assert.Contains("There is no run 'other' of job 'people'", status.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, terminate.Status);
    }

    [Fact]
    public async Task Terminate_stops_a_running_run()
    {
        var http = new SyncHttpFunctions(_starter);
        await http.StartAsync(new FakeHttpRequest("POST", Base + "syncs/people"), _host.Client, "people");

        var terminate = await Answer(http.TerminateAsync(new FakeHttpRequest("POST", Base + "syncs/people/runs/people/terminate"),
            _host.Client, "people", "people"));
        var state = await _host.Client.WaitForInstanceCompletionAsync("people");

        Assert.Equal(HttpStatusCode.Accepted, terminate.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, state.RuntimeStatus);
    }

    [Fact]
    public async Task A_commit_blob_starts_the_job_reading_that_table_and_other_blobs_start_nothing()
    {
        var function = new DeltaCommitFunction(_starter, NullLogger<DeltaCommitFunction>.Instance);
        string log = Path.Combine(TestTables.DeltaPath("cdf-table"), "_delta_log");

        await function.RunAsync(new Uri(Path.Combine(log, "00000000000000000003.crc")), _host.Client, new FakeFunctionContext());
        var afterChecksum = await _host.Client.GetInstanceAsync("people");
        await function.RunAsync(new Uri(Path.Combine(log, "00000000000000000003.json")), _host.Client, new FakeFunctionContext());
        var state = await _host.Client.WaitForInstanceCompletionAsync("people");

        Assert.Null(afterChecksum);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
    }

    [Fact]
    public async Task The_nightly_timer_starts_the_scheduled_jobs()
    {
        var function = new NightlyTimerFunction(_starter, NullLogger<NightlyTimerFunction>.Instance);

        await function.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), _host.Client, new FakeFunctionContext());
        var state = await _host.Client.WaitForInstanceCompletionAsync("people");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
    }

    [Fact]
    public async Task The_ingest_timer_runs_each_ingest_job_once_at_a_time_into_its_Delta_table()
    {
        var function = new IngestTimerFunction(_ingest, NullLogger<IngestTimerFunction>.Instance);

        await function.RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), _host.Client, new FakeFunctionContext());
        // Every request costs the emulator 1 s here: the run started above is still going.
        var whileRunning = await _ingest.StartAllAsync(_host.Client);
        var first = await _host.Client.WaitForInstanceCompletionAsync("ingest-contacts-in", getInputsAndOutputs: true);
        var next = await _ingest.StartAllAsync(_host.Client);
        var second = await _host.Client.WaitForInstanceCompletionAsync("ingest-contacts-in", getInputsAndOutputs: true);

        // Only the ingest job is started (sync jobs have their own triggers), and not twice at once.
        Assert.Equal([("contacts-in", StartStatus.AlreadyRunning)], whileRunning.Select(r => (r.Job, r.Status)));
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "snapshot"), (first.RuntimeStatus, first.ReadOutputAs<IngestResult>()!.Mode));
        Assert.Equal([("contacts-in", StartStatus.Started)], next.Select(r => (r.Job, r.Status)));
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "changes"), (second.RuntimeStatus, second.ReadOutputAs<IngestResult>()!.Mode));
        Assert.True(Directory.Exists(Path.Combine(_state.Path, "contacts-in", "_delta_log")));
        // By HTTP: started now, a sync job refused, an unknown job not found.
        var http = new IngestHttpFunction(_ingest);
        var byHttp = (FakeHttpResponse)await http.StartAsync(new FakeHttpRequest("POST", Base + "ingest/contacts-in"), _host.Client, "contacts-in");
        var third = await _host.Client.WaitForInstanceCompletionAsync("ingest-contacts-in", getInputsAndOutputs: true);
        var syncJob = await Answer(http.StartAsync(new FakeHttpRequest("POST", Base + "ingest/people"), _host.Client, "people"));
        var unknown = await Answer(http.StartAsync(new FakeHttpRequest("POST", Base + "ingest/nobody"), _host.Client, "nobody"));
        Assert.Equal(HttpStatusCode.Accepted, byHttp.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, third.RuntimeStatus);
        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (syncJob.Status, unknown.Status));
        Assert.Contains("is not a valid ingest job", syncJob.Body);

        // An ingest job is not a sync: a sync start of it is refused with the reason.
        var asSync = await _starter.StartAsync(_host.Client, "contacts-in");
        Assert.Equal(StartStatus.InvalidJob, asSync.Status);
        Assert.Contains("is an ingest job (from/to), not a sync", Assert.Single(asSync.Problems!));
    }
}
