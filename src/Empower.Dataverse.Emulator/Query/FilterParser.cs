using System.Text;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Query;

/// <summary>
/// Recursive-descent parser for the <c>$filter</c> subset the emulator serves: comparisons (eq ne gt ge lt le) against
/// literals or null, and/or/not, parentheses, contains/startswith/endswith, and <c>Microsoft.Dynamics.CRM.In</c>.
/// Emits SQL with <c>$pN</c> parameters appended to the given list.
/// </summary>
internal sealed class FilterParser(TableDefinition table, string filter, List<object?> parameters)
{
    private const string InFunction = "Microsoft.Dynamics.CRM.In";

    /// <summary>Nesting (parentheses and <c>not</c>) a filter may have: deeper ones get a 400, not a stack overflow that kills the process.</summary>
    public const int MaxDepth = 100;

    private List<Token> _tokens = [];
    private int _position;
    private int _depth;

    public string Parse()
    {
        _tokens = ODataLexer.Tokenize(filter, "$filter");
        string sql = ParseOr();
        if (Current.Kind != TokenKind.End)
        {
            throw Error($"unexpected '{Current.Text}' at position {Current.Position}");
        }

        return sql;
    }

    private Token Current => _tokens[_position];

    private string ParseOr() => ParseBinary("or", "OR", ParseAnd);

    private string ParseAnd() => ParseBinary("and", "AND", ParseUnary);

    // Left-associative chain of one operator, each operand parsed by the next-higher precedence level.
    private string ParseBinary(string keyword, string sqlOperator, Func<string> operand)
    {
        var sql = new StringBuilder(operand());
        while (IsKeyword(keyword))
        {
            _position++;
            sql.Insert(0, '(').Append(' ').Append(sqlOperator).Append(' ').Append(operand()).Append(')');
        }

        return sql.ToString();
    }

    private string ParseUnary()
    {
        if (IsKeyword("not") || Current.Kind == TokenKind.OpenParen)
        {
            if (++_depth > MaxDepth)
            {
                throw Error($"it nests deeper than {MaxDepth} levels of parentheses and 'not' (at position {Current.Position})");
            }

            bool not = IsKeyword("not");
            _position++;
            string inner = not ? $"(NOT {ParseUnary()})" : ParseOr();
            if (!not)
            {
                Expect(TokenKind.CloseParen);
            }

            _depth--;
            return inner;
        }

        if (Current.Kind != TokenKind.Identifier)
        {
            throw Error($"expected a property name at position {Current.Position}, found '{Current.Text}'");
        }

        if (_tokens[_position + 1].Kind == TokenKind.OpenParen)
        {
            return ParseFunction();
        }

        var (column, attribute) = Property(_tokens[_position++].Text);
        string op = Current.Text;
        if (Current.Kind != TokenKind.Identifier || op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
        {
            throw Error($"expected a comparison operator (eq, ne, gt, ge, lt, le) at position {Current.Position}, found '{Current.Text}'");
        }

        _position++;
        var literal = _tokens[_position++];
        if (literal.Kind is TokenKind.End or TokenKind.CloseParen or TokenKind.Comma)
        {
            throw Error($"a value is missing after '{op}' at position {literal.Position}");
        }

        if (literal.Kind == TokenKind.Identifier && literal.Text == "null")
        {
            return op switch
            {
                "eq" => $"({column} IS NULL)",
                "ne" => $"({column} IS NOT NULL)",
                _ => throw Error($"'{op} null' is not a valid comparison"),
            };
        }

        // In $filter a GUID or a date is a bare literal; quoted, it is a string and Dataverse refuses the comparison.
        if (literal.Kind == TokenKind.String && attribute?.Type is AttributeType.UniqueIdentifier or AttributeType.Lookup or AttributeType.DateTime)
        {
            string kind = op switch { "eq" => "Equal", "ne" => "NotEqual", "gt" => "GreaterThan", "ge" => "GreaterThanOrEqual", "lt" => "LessThan",
                _ => "LessThanOrEqual" };
            throw DataverseException.BadRequest(ErrorCodes.InvalidArgument,
                $"A binary operator with incompatible types was detected. Found operand types '{ValueCodec.EdmType(attribute)}' and 'Edm.String' for " +
                    $"operator kind '{kind}'.");
        }

        string sqlOp = op switch { "eq" => "=", "ne" => "<>", "gt" => ">", "ge" => ">=", "lt" => "<", _ => "<=" };
        return $"({Numeric(column, attribute)} {sqlOp} {Numeric(Parameter(attribute, literal), attribute)})";
    }

    private string ParseFunction()
    {
        string name = _tokens[_position].Text;
        _position += 2;
        if (name is "contains" or "startswith" or "endswith")
        {
            var (column, attribute) = Property(Expect(TokenKind.Identifier).Text);
            Expect(TokenKind.Comma);
            var literal = Expect(TokenKind.String);
            Expect(TokenKind.CloseParen);
            if (attribute?.Type is not (AttributeType.String or AttributeType.Memo))
            {
                throw Error($"{name} applies to text properties only");
            }

            string escaped = literal.Text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_",
                StringComparison.Ordinal);
            parameters.Add(name switch { "contains" => $"%{escaped}%", "startswith" => $"{escaped}%", _ => $"%{escaped}" });
            // LIKE ignores collations: both sides are folded as the column's collation compares text.
            return $"({RecordStore.FoldFunction}({column}) LIKE {RecordStore.FoldFunction}($p{parameters.Count - 1}) ESCAPE '\\')";
        }

        if (name == InFunction)
        {
            return ParseIn();
        }

        throw Error($"the function '{name}' is not supported (supported: contains, startswith, endswith, {InFunction})");
    }

    // Microsoft.Dynamics.CRM.In(PropertyName='accountnumber',PropertyValues=['A1','A2'])
    private string ParseIn()
    {
        ExpectWord("PropertyName");
        Expect(TokenKind.Equals);
        var (column, attribute) = Property(Expect(TokenKind.String).Text);
        Expect(TokenKind.Comma);
        ExpectWord("PropertyValues");
        Expect(TokenKind.Equals);
        Expect(TokenKind.OpenBracket);
        var values = new List<string>();
        while (Current.Kind != TokenKind.CloseBracket)
        {
            var literal = _tokens[_position++];
            bool textual = attribute?.Type is AttributeType.String or AttributeType.Memo or AttributeType.DateTime
                or AttributeType.UniqueIdentifier or AttributeType.Lookup;
            var asText = literal with { Kind = textual ? TokenKind.String : NumberKind(literal) };
            values.Add(Parameter(attribute, asText));
            if (Current.Kind == TokenKind.Comma)
            {
                _position++;
            }
            else if (Current.Kind != TokenKind.CloseBracket)
            {
                throw Error($"expected ',' or ']' at position {Current.Position}");
            }
        }

        _position++;
        Expect(TokenKind.CloseParen);
        if (values.Count == 0)
        {
            throw Error($"{InFunction} needs at least one value");
        }

        return $"({column} IN ({string.Join(", ", values)}))";
    }

    // In PropertyValues every value is written as a string ('1'), even for numbers.
    private static TokenKind NumberKind(Token literal) => literal.Kind == TokenKind.String ? TokenKind.Number : literal.Kind;

    private (string Column, AttributeDefinition? Attribute) Property(string name)
    {
        string column = QueryTranslator.Column(table, name, "$filter");
        var attribute = table.FindAttribute(column)
            ?? (column == "versionnumber" ? new AttributeDefinition { LogicalName = column, Type = AttributeType.Integer }
                : new AttributeDefinition { LogicalName = column, Type = AttributeType.DateTime });
        return ($"\"{column}\"", attribute);
    }

    private string Parameter(AttributeDefinition? attribute, Token literal)
    {
        parameters.Add(ValueCodec.FromLiteral(table, attribute!, literal));
        return $"$p{parameters.Count - 1}";
    }

    private static string Numeric(string sql, AttributeDefinition? attribute) =>
        attribute?.Type is AttributeType.Decimal or AttributeType.Money ? $"CAST({sql} AS REAL)" : sql;

    private bool IsKeyword(string word) => Current.Kind == TokenKind.Identifier && Current.Text == word;

    private Token Expect(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            throw Error($"expected {kind} at position {Current.Position}, found '{Current.Text}'");
        }

        return _tokens[_position++];
    }

    private void ExpectWord(string word)
    {
        if (!IsKeyword(word))
        {
            throw Error($"expected '{word}' at position {Current.Position}");
        }

        _position++;
    }

    private static DataverseException Error(string detail) => ODataLexer.Syntax("$filter", detail);
}
