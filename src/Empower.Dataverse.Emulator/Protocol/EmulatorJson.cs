using System.Text.Encodings.Web;
using System.Text.Json;

namespace Empower.Dataverse.Emulator.Protocol;

internal static class EmulatorJson
{
    // Relaxed escaping writes etags as W/"1" rather than W/\u00221\u0022, as Dataverse does; settings show enums by name, as they are set.
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
