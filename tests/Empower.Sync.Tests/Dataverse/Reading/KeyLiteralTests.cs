using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Reading;

namespace Empower.Sync.Tests.Dataverse.Reading;

public sealed class KeyLiteralTests
{
    [Fact]
    public void Key_literals_quote_strings_and_escape_for_urls()
    {
        var values = new JsonObject { ["ordernumber"] = "O'Brien 1", ["linenumber"] = 2 };

        Assert.Equal("lines(ordernumber='O''Brien 1',linenumber=2)", KeyLiteral.ForKey("lines", ["ordernumber", "linenumber"], values, escapeForUrl: false));
        Assert.Equal("lines(ordernumber='O''Brien%201',linenumber=2)", KeyLiteral.ForKey("lines", ["ordernumber", "linenumber"], values, escapeForUrl: true));
        Assert.Throws<ArgumentException>(() => KeyLiteral.ForKey("lines", ["missing"], values, false));
    }
}
