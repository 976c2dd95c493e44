using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Empower.Sync.Tests")]
[assembly: InternalsVisibleTo("Empower.Testing")]
[assembly: InternalsVisibleTo("Empower.Infra.Tests")]
[assembly: InternalsVisibleTo("Empower.Bench")]
