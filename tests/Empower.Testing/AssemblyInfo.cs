using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Empower.Sync.Tests")]
