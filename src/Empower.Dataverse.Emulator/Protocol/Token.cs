namespace Empower.Dataverse.Emulator.Protocol;

/// <summary>A lexical token of an OData key segment or <c>$filter</c> expression; <see cref="Text"/> is unescaped for strings.</summary>
public readonly record struct Token(TokenKind Kind, string Text, int Position);
