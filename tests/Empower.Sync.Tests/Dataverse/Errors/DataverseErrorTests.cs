using System.Net;
using Empower.Sync.Dataverse.Errors;

namespace Empower.Sync.Tests.Dataverse.Errors;

public sealed class DataverseErrorTests
{
    [Theory]
    [InlineData(429, "0x80072322", nameof(ErrorKind.Throttled))]
    [InlineData(429, "0x80072326", nameof(ErrorKind.Throttled))]
    [InlineData(503, "", nameof(ErrorKind.Transient))]
    [InlineData(500, "0x80044150", nameof(ErrorKind.Transient))]
    [InlineData(0, "", nameof(ErrorKind.Transient))]
    [InlineData(401, "0x80072560", nameof(ErrorKind.Transient))]
    [InlineData(403, "0x80040220", nameof(ErrorKind.Authentication))]
    [InlineData(400, "0x80044331", nameof(ErrorKind.Data))]
    [InlineData(400, "0x80060891", nameof(ErrorKind.Data))]
    [InlineData(404, "0x80040217", nameof(ErrorKind.Data))]
    [InlineData(404, "0x80060891", nameof(ErrorKind.Data))]
    [InlineData(404, "0x80060888", nameof(ErrorKind.Fatal))]
    public void Errors_are_classified_by_what_to_do(int status, string code, string kind)
    {
        Assert.Equal(Enum.Parse<ErrorKind>(kind), new DataverseError(status, code, "m").Kind);
    }

    [Fact]
    public void Error_bodies_are_parsed_and_foreign_bodies_kept_short()
    {
        var parsed = DataverseError.Parse(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"0x80044331\",\"message\":\"too long\"}}");
        var html = DataverseError.Parse(HttpStatusCode.BadGateway, new string('<', 2000));

        Assert.Equal(("0x80044331", "too long"), (parsed.Code, parsed.Message));
        Assert.Equal(500, html.Message.Length);
    }
}
