using System.Security.Claims;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace Empower.Functions.Tests.Fakes;

internal sealed class FakeHttpRequest(string method, string url, string body = "") : HttpRequestData(new FakeFunctionContext())
{
    public override Stream Body { get; } = new MemoryStream(Encoding.UTF8.GetBytes(body));

    public override HttpHeadersCollection Headers { get; } = [];

    public override IReadOnlyCollection<IHttpCookie> Cookies => [];

    public override Uri Url { get; } = new(url);

    public override IEnumerable<ClaimsIdentity> Identities => [];

    public override string Method => method;

    public override HttpResponseData CreateResponse() => new FakeHttpResponse(FunctionContext);
}

internal sealed class FakeHttpResponse(FunctionContext context) : HttpResponseData(context)
{
    public override System.Net.HttpStatusCode StatusCode { get; set; } = System.Net.HttpStatusCode.OK;

    public override HttpHeadersCollection Headers { get; set; } = [];

    public override Stream Body { get; set; } = new MemoryStream();

    public override HttpCookies Cookies => null!;

    public string Text => Encoding.UTF8.GetString(((MemoryStream)Body).ToArray());
}
