namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>What is inside <c>set(...)</c>: a primary id, or alternate-key name/value pairs.</summary>
public sealed record KeySegment(Guid? Id, IReadOnlyList<KeyValuePair<string, Token>> Values)
{
    public static KeySegment Parse(string text)
    {
        var tokens = ODataLexer.Tokenize(text, $"key '({text})'");
        if (tokens is [{ Kind: TokenKind.Guid } id, { Kind: TokenKind.End }])
        {
            return new KeySegment(Guid.Parse(id.Text), []);
        }

        var values = new List<KeyValuePair<string, Token>>();
        int i = 0;
        while (true)
        {
            if (tokens[i].Kind != TokenKind.Identifier || tokens[i + 1].Kind != TokenKind.Equals)
            {
                throw ODataLexer.Syntax($"key '({text})'", "expected a GUID or name=value pairs such as accountnumber='A-1'");
            }

            var value = tokens[i + 2];
            if (value.Kind is not (TokenKind.String or TokenKind.Number or TokenKind.Guid or TokenKind.DateTime or TokenKind.Identifier))
            {
                throw ODataLexer.Syntax($"key '({text})'", $"missing value for '{tokens[i].Text}'");
            }

            values.Add(new(tokens[i].Text, value));
            i += 3;
            if (tokens[i].Kind == TokenKind.End)
            {
                return new KeySegment(null, values);
            }

            if (tokens[i].Kind != TokenKind.Comma)
            {
                throw ODataLexer.Syntax($"key '({text})'", $"unexpected '{tokens[i].Text}' at position {tokens[i].Position}");
            }

            i++;
        }
    }

    public override string ToString() => Id is { } id
        ? id.ToString()
        : string.Join(",", Values.Select(v => v.Value.Kind == TokenKind.String ? $"{v.Key}='{v.Value.Text.Replace("'", "''", StringComparison.Ordinal)}'"
            : $"{v.Key}={v.Value.Text}"));
}
