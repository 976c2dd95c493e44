namespace Empower.Sync.Jobs;

/// <summary>A job that cannot run as written; <see cref="Problems"/> lists every problem, each naming what to fix.</summary>
public sealed class JobConfigurationException(string job, IReadOnlyList<string> problems)
    : Exception($"The job '{job}' cannot run:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}")
{
    public string Job { get; } = job;

    public IReadOnlyList<string> Problems { get; } = problems;
}
