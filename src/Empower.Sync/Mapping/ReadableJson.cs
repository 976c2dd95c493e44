using System.Text.Encodings.Web;
using System.Text.Json;

namespace Empower.Sync.Mapping;

/// <summary>Keys and payloads people read in failed rows and reports: no escaping of quotes or non-ASCII letters.</summary>
internal static class ReadableJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
