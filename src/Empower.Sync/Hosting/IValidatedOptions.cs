namespace Empower.Sync.Hosting;

/// <summary>Settings that check themselves: every problem, each naming its configuration key and what to do.</summary>
public interface IValidatedOptions
{
    IReadOnlyList<string> Validate();
}
