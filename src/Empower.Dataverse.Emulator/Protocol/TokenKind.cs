namespace Empower.Dataverse.Emulator.Protocol;

public enum TokenKind
{
    Identifier,
    String,
    Number,
    Guid,
    DateTime,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Equals,
    End,
}
