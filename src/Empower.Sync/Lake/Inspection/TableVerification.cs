namespace Empower.Sync.Lake.Inspection;

/// <summary>
/// What <c>inspect --verify</c> found reading every data file and deletion vector of a table version: the rows they
/// hold, and each file that could not be read, or whose rows do not add up to what the log says.
/// </summary>
public sealed record TableVerification(int FilesRead, long RowsRead, IReadOnlyList<VerificationProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>A file that failed verification: how many of its rows could not be read, and why.</summary>
public sealed record VerificationProblem(string File, long Rows, string Reason);
