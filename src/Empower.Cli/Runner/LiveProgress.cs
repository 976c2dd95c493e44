using System.Diagnostics;
using System.Diagnostics.Metrics;
using Empower.Sync.Dataverse.Telemetry;
using Empower.Sync.Ingestion;
using Empower.Sync.Pipeline.Reporting;
using Empower.Sync.Telemetry;

namespace Empower.Cli.Runner;

/// <summary>
/// A run's live counts, from Empower's own metrics as they are recorded (a <see cref="MeterListener"/> on
/// <c>empower.sync.progress.rows</c>, <c>empower.ingest.progress.records</c> and <c>empower.dataverse.throttled</c>):
/// the same numbers telemetry exports.
/// </summary>
internal sealed class LiveProgress : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _job;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _written, _unchanged, _failed, _other, _throttled, _ingested;

    public LiveProgress(string job)
    {
        _job = job;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // By name: an instrument may be published while its class is still being initialised.
            if (instrument.Meter.Name == SyncTelemetry.Name
                && instrument.Name is RunTelemetry.ProgressRowsName or IngestTelemetry.ProgressRecordsName or DataverseTelemetry.ThrottledName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The counts so far; with <paramref name="planned"/> rows to handle, the rate and the time left at that rate.</summary>
    public ProgressSnapshot Snapshot(long planned)
    {
        long written = Interlocked.Read(ref _written), unchanged = Interlocked.Read(ref _unchanged), failed = Interlocked.Read(ref _failed);
        long done = written + unchanged + failed + Interlocked.Read(ref _other);
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        double rate = seconds > 0 ? done / seconds : 0;
        TimeSpan? left = rate > 0 && planned > done ? TimeSpan.FromSeconds((planned - done) / rate) : null;
        return new ProgressSnapshot(written, unchanged, failed, done, planned, Interlocked.Read(ref _throttled), rate, left);
    }

    /// <summary>An ingest run so far: records read from Dataverse, their rate, and 429 responses.</summary>
    public string Ingested()
    {
        long records = Interlocked.Read(ref _ingested);
        double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        return $"{Counted.Of(records, "record")} read · {(seconds > 0 ? records / seconds : 0):N0} records/s · {Interlocked.Read(ref _throttled):N0} × 429";
    }

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == DataverseTelemetry.ThrottledName)
        {
            Interlocked.Add(ref _throttled, value);
            return;
        }

        string? job = null, outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == TelemetryTags.Job)
            {
                job = tag.Value as string;
            }
            else if (tag.Key == TelemetryTags.Outcome)
            {
                outcome = tag.Value as string;
            }
        }

        if (job != _job)
        {
            return;
        }

        if (instrument.Name == IngestTelemetry.ProgressRecordsName)
        {
            Interlocked.Add(ref _ingested, value);
            return;
        }

        switch (outcome)
        {
            case "written":
                Interlocked.Add(ref _written, value);
                break;
            case "unchanged":
                Interlocked.Add(ref _unchanged, value);
                break;
            case "failed":
                Interlocked.Add(ref _failed, value);
                break;
            default:
                Interlocked.Add(ref _other, value);
                break;
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>
/// Live counts of a run: rows written, unchanged and failed, every row handled (<see cref="Done"/>, also superseded,
/// deleted, not sent), of <see cref="Planned"/>; 429 responses; rows handled per second; the time left at that rate.
/// </summary>
internal sealed record ProgressSnapshot(long Written, long Unchanged, long Failed, long Done, long Planned, long Throttled,
    double RowsPerSecond, TimeSpan? Left)
{
    public override string ToString()
    {
        string left = Left is { } l ? $", about {(l.TotalHours >= 1 ? l.ToString(@"h\:mm\:ss") : l.ToString(@"m\:ss"))} left" : "";
        string of = Planned > 0 ? $" of {Planned:N0}" : "";
        return $"{Done:N0}{of} rows: {Written:N0} written, {Unchanged:N0} unchanged, {Failed:N0} failed · {RowsPerSecond:N0} rows/s · " +
            $"{Throttled:N0} × 429{left}";
    }
}
