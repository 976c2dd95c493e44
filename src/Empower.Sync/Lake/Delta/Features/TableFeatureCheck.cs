using Empower.Sync.Lake.Delta.Actions;

namespace Empower.Sync.Lake.Delta.Features;

/// <summary>
/// Refuses tables that need a reader capability Empower lacks, naming the feature, instead of returning wrong rows.
/// </summary>
internal static class TableFeatureCheck
{
    public const int MaxReaderVersion = 3;

    /// <summary>Reader features Empower implements (vacuumProtocolCheck asks nothing of readers).</summary>
    public static readonly IReadOnlySet<string> SupportedReaderFeatures =
        new HashSet<string>(StringComparer.Ordinal) { "columnMapping", "deletionVectors", "timestampNtz", "vacuumProtocolCheck" };

    public static readonly IReadOnlySet<string> SupportedColumnMappingModes =
        new HashSet<string>(StringComparer.Ordinal) { "none", "name", "id" };

    public static void EnsureReadable(DeltaProtocol protocol, DeltaMetadata metadata, string table)
    {
        if (protocol.MinReaderVersion > MaxReaderVersion)
        {
            throw new UnsupportedTableFeatureException(table, $"readerVersion {protocol.MinReaderVersion}",
                $"the table needs Delta reader version {protocol.MinReaderVersion}; Empower reads versions 1 to {MaxReaderVersion}.");
        }

        if (protocol.MinReaderVersion == MaxReaderVersion)
        {
            foreach (var feature in protocol.ReaderFeatures)
            {
                if (!SupportedReaderFeatures.Contains(feature))
                {
                    throw new UnsupportedTableFeatureException(table, feature,
                        $"supported reader features are {string.Join(", ", SupportedReaderFeatures.Order())}.");
                }
            }
        }

        if (!SupportedColumnMappingModes.Contains(metadata.ColumnMappingMode))
        {
            throw new UnsupportedTableFeatureException(table, $"columnMapping mode '{metadata.ColumnMappingMode}'", "supported modes are none, name and id.");
        }
    }
}
