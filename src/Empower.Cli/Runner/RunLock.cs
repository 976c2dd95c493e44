using System.Security.Cryptography;
using System.Text;
using Empower.Sync.Jobs;

namespace Empower.Cli.Runner;

/// <summary>
/// One <c>empower sync</c> of a job and state location at a time on this machine: a file in the temporary folder held
/// open without sharing while the run lasts; the operating system lets go of it when the process ends, even when it is
/// killed. A run adopts what earlier runs staged (<c>PublishedStateTable.AdoptOrphansAsync</c>), which is only safe
/// when no other run of the job is still going.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private readonly FileStream _file;

    private RunLock(FileStream file) => _file = file;

    public static RunLock Acquire(JobDefinition job, string stateLocation)
    {
        string folder = Path.Combine(Path.GetTempPath(), "empower-locks");
        Directory.CreateDirectory(folder);
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{stateLocation}\n{job.Name}")))[..16];
        string path = Path.Combine(folder, $"{job.Name}-{id}.lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            file.Write(Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
            return new RunLock(file);
        }
        catch (IOException)
        {
            throw new JobConfigurationException(job.Name, [$"the job '{job.Name}' is already running on this machine with the state location " +
                $"{stateLocation} (lock file {path}); wait for that run to end or stop it."]);
        }
    }

    public void Dispose() => _file.Dispose();
}
