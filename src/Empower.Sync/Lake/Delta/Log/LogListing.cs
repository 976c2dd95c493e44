using System.Globalization;
using Empower.Sync.Lake.Storage;

namespace Empower.Sync.Lake.Delta.Log;

/// <summary>
/// What <c>_delta_log/</c> holds: commit files by version and complete checkpoints. Files that are not part of the
/// log protocol (<c>.crc</c> checksums, Hadoop's hidden <c>.*.crc</c>, <c>.tmp/</c> leftovers, compacted logs, <c>_last_checkpoint</c>, which is
/// read on its own) are ignored.
/// </summary>
internal sealed class LogListing
{
    public const string LogFolder = "_delta_log/";

    private LogListing(SortedDictionary<long, LakeFile> commits, SortedDictionary<long, CheckpointFiles> checkpoints)
    {
        Commits = commits;
        Checkpoints = checkpoints;
    }

    public SortedDictionary<long, LakeFile> Commits { get; }

    /// <summary>Checkpoints whose parts are all present, by version.</summary>
    public SortedDictionary<long, CheckpointFiles> Checkpoints { get; }

    public bool IsEmpty => Commits.Count == 0 && Checkpoints.Count == 0;

    public long LatestVersion => Math.Max(Commits.Count > 0 ? Commits.Keys.Max() : -1, Checkpoints.Count > 0 ? Checkpoints.Keys.Max() : -1);

    public static async Task<LogListing> ReadAsync(ILakeStorage storage, CancellationToken cancellationToken)
    {
        var commits = new SortedDictionary<long, LakeFile>();
        var parts = new Dictionary<(long Version, int Total), SortedDictionary<int, LakeFile>>();
        await foreach (var file in storage.ListAsync(LogFolder, cancellationToken))
        {
            string name = file.Path[LogFolder.Length..];
            if (name.Contains('/'))
            {
                continue;
            }

            var segments = name.Split('.');
            if (segments[0].Length != 20 || !long.TryParse(segments[0], NumberStyles.None, CultureInfo.InvariantCulture, out long version))
            {
                continue;
            }

            switch (segments)
            {
                case [_, "json"]:
                    commits[version] = file;
                    break;
                case [_, "checkpoint", "parquet"]:
                    parts[(version, 1)] = new SortedDictionary<int, LakeFile> { [1] = file };
                    break;
                case [_, "checkpoint", var part, var total, "parquet"]
                    when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int p)
                        && int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out int t):
                    if (!parts.TryGetValue((version, t), out var set))
                    {
                        parts[(version, t)] = set = new SortedDictionary<int, LakeFile>();
                    }

                    set[p] = file;
                    break;
            }
        }

        var checkpoints = new SortedDictionary<long, CheckpointFiles>();
        foreach (var ((version, total), files) in parts)
        {
            if (files.Count == total)
            {
                checkpoints[version] = new CheckpointFiles(version, files.Values.ToList());
            }
        }

        return new LogListing(commits, checkpoints);
    }
}
