using System.Text;
using System.Text.RegularExpressions;

namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>Splits OData URL expressions into tokens: identifiers, quoted strings, numbers, GUIDs, date-times and punctuation.</summary>
public static partial class ODataLexer
{
    public static List<Token> Tokenize(string text, string what)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            switch (c)
            {
                case '(': tokens.Add(new(TokenKind.OpenParen, "(", i++)); continue;
                case ')': tokens.Add(new(TokenKind.CloseParen, ")", i++)); continue;
                case '[': tokens.Add(new(TokenKind.OpenBracket, "[", i++)); continue;
                case ']': tokens.Add(new(TokenKind.CloseBracket, "]", i++)); continue;
                case ',': tokens.Add(new(TokenKind.Comma, ",", i++)); continue;
                case '=': tokens.Add(new(TokenKind.Equals, "=", i++)); continue;
                case '\'':
                    tokens.Add(ReadString(text, ref i, what));
                    continue;
            }

            int start = i;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-' or ':' or '+' or '$'))
            {
                i++;
            }

            if (i == start)
            {
                throw Syntax(what, $"unexpected character '{c}' at position {start}");
            }

            string word = text[start..i];
            tokens.Add(new(Classify(word), word, start));
        }

        tokens.Add(new(TokenKind.End, "", text.Length));
        return tokens;
    }

    public static DataverseException Syntax(string what, string detail) =>
        DataverseException.BadRequest(ErrorCodes.ResourceNotFound, $"Bad Request - Error in query syntax: {what}: {detail}.");

    private static Token ReadString(string text, ref int i, string what)
    {
        int start = i++;
        var value = new StringBuilder();
        while (true)
        {
            if (i >= text.Length)
            {
                throw Syntax(what, $"unterminated string literal starting at position {start}");
            }

            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return new Token(TokenKind.String, value.ToString(), start);
            }

            value.Append(text[i++]);
        }
    }

    private static TokenKind Classify(string word)
    {
        if (GuidPattern().IsMatch(word))
        {
            return TokenKind.Guid;
        }

        if (DateTimePattern().IsMatch(word))
        {
            return TokenKind.DateTime;
        }

        return NumberPattern().IsMatch(word) ? TokenKind.Number : TokenKind.Identifier;
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$")]
    private static partial Regex DateTimePattern();

    [GeneratedRegex(@"^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?$")]
    private static partial Regex NumberPattern();
}
