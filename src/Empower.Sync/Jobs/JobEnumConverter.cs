using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Empower.Sync.Jobs;

/// <summary>
/// A job setting's enum as job files spell it: its <see cref="JsonStringEnumMemberNameAttribute"/> or its camel-case name, read
/// ignoring case; numbers are refused. System.Text.Json's own string-enum converter refuses numbers with a regular expression that
/// has a 200 ms timeout, which a busy 2-core machine can exceed on a misspelt value — and then the job fails with a timeout, not
/// with its error.
/// </summary>
internal sealed class JobEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private readonly FrozenDictionary<T, string> _names = Enum.GetValues<T>().ToFrozenDictionary(v => v, NameOf);
        private readonly FrozenDictionary<string, T> _values;

        public Converter() => _values = _names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.OrdinalIgnoreCase);

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && _values.TryGetValue(reader.GetString()!, out T value) ? value
                : throw new JsonException(); // without a message, System.Text.Json fills in the type, path and line

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(_names.TryGetValue(value, out string? name) ? name : value.ToString());

        private static string NameOf(T value) =>
            typeof(T).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
    }
}
