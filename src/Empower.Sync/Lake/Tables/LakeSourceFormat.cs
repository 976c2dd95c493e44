namespace Empower.Sync.Lake.Tables;

public enum LakeSourceFormat
{
    Delta,
    Parquet,
}
