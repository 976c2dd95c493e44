namespace Empower.Cli.Commands;

/// <summary>What <c>empower sync</c>, <c>validate</c> and <c>demo</c> return (README, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int RowsFailed = 1;
    public const int InvalidInput = 2;
    public const int RunFailed = 3;
}
