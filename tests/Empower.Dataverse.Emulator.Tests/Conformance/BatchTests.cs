using System.Net;
using System.Text;
using Empower.Testing.Emulator;

namespace Empower.Dataverse.Emulator.Tests.Conformance;

/// <summary>
/// <c>$batch</c> as https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
/// documents it: multipart/mixed, change sets are atomic, Content-ID references, <c>Prefer: odata.continue-on-error</c>.
/// </summary>
public sealed class BatchTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private EmulatorClient Client => emulator.Client;

    [Fact]
    public async Task Batch_runs_requests_in_order_with_a_change_set_and_a_Content_ID_reference()
    {
        string body = new BatchBuilder("batch_AAA")
            .Request("POST", "/api/data/v9.2/accounts", """{"name":"Batch 1","accountnumber":"BAT-1"}""")
            .ChangeSet("changeset_BBB", cs => cs
                .Request("POST", "accounts", """{"name":"Batch 2","accountnumber":"BAT-2"}""", contentId: "1")
                .Request("PATCH", "$1", """{"telephone1":"555-0100"}""", contentId: "2"))
            .Request("GET", $"{Client.ServiceRoot}accounts(accountnumber='BAT-2')?$select=telephone1", null)
            .Build();

        var response = await Client.BatchAsync("batch_AAA", body);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("multipart/mixed; boundary=batchresponse_", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(3, CountOf(text, "HTTP/1.1 204 No Content"));
        Assert.Contains("Content-ID: 2", text);
        Assert.Contains("\"telephone1\":\"555-0100\"", text);
        Assert.Contains("boundary=changesetresponse_", text);
    }

    /// <summary>"Reference URIs in request body": an <c>@odata.bind</c> of <c>$1</c> links to the record request 1 of the change set
    /// created; a reference to no earlier request fails the change set, which rolls back.</summary>
    [Fact]
    public async Task A_Content_ID_reference_in_a_request_body_binds_to_the_record_created_earlier_in_the_change_set()
    {
        string body = new BatchBuilder("batch_REF")
            .ChangeSet("changeset_REF", cs => cs
                .Request("POST", "accounts", """{"name":"Parent","accountnumber":"BAT-REF-1"}""", contentId: "1")
                .Request("POST", "contacts", """{"lastname":"Child","emailaddress1":"bat-ref@example.com","parentcustomerid_account@odata.bind":"$1"}""",
                    contentId: "2"))
            .Build();
        string broken = new BatchBuilder("batch_BAD")
            .ChangeSet("changeset_BAD", cs => cs
                .Request("POST", "accounts", """{"name":"Parent 2","accountnumber":"BAT-REF-2"}""", contentId: "1")
                .Request("POST", "contacts", """{"lastname":"Orphan","emailaddress1":"bat-ref-2@example.com","parentcustomerid_account@odata.bind":"$7"}""",
                    contentId: "2"))
            .Build();

        var response = await Client.BatchAsync("batch_REF", body);
        var parent = await (await Client.GetAsync("accounts(accountnumber='BAT-REF-1')?$select=accountid")).JsonAsync();
        var child = await (await Client.GetAsync("contacts(emailaddress1='bat-ref@example.com')?$select=_parentcustomerid_value")).JsonAsync();
        var refused = await Client.BatchAsync("batch_BAD", broken);
        string refusal = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((string?)parent["accountid"], (string?)child["_parentcustomerid_value"]);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("the Content-ID reference '$7' does not name an earlier request of the same change set", refusal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("accounts(accountnumber='BAT-REF-2')")).StatusCode);
    }

    [Fact]
    public async Task A_failing_change_set_rolls_back_and_stops_the_batch_with_400()
    {
        string body = new BatchBuilder("batch_X")
            .ChangeSet("changeset_Y", cs => cs
                .Request("POST", "accounts", """{"name":"CS ok","accountnumber":"BAT-CS-1"}""", contentId: "1")
                .Request("POST", "accounts", """{"name":"CS bad","industrycode":12345}""", contentId: "2"))
            .Request("POST", "accounts", """{"name":"after","accountnumber":"BAT-CS-AFTER"}""")
            .Build();

        var response = await Client.BatchAsync("batch_X", body);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("0x8004431a", text);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("accounts(accountnumber='BAT-CS-1')")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("accounts(accountnumber='BAT-CS-AFTER')")).StatusCode);
    }

    [Fact]
    public async Task Continue_on_error_reports_each_item_and_keeps_the_good_ones()
    {
        string body = new BatchBuilder("batch_C")
            .Request("POST", "accounts", """{"name":"c1","accountnumber":"BAT-COE-1"}""")
            .Request("POST", "accounts", """{"name":"c2","accountnumber":"BAT-COE-2-far-too-long-for-it"}""")
            .Request("POST", "accounts", """{"name":"c3","accountnumber":"BAT-COE-3"}""")
            .Build();

        var response = await Client.BatchAsync("batch_C", body, ("Prefer", "odata.continue-on-error"));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.continue-on-error", response.Header("Preference-Applied"));
        Assert.Equal(2, CountOf(text, "HTTP/1.1 204 No Content"));
        Assert.Equal(1, CountOf(text, "HTTP/1.1 400 Bad Request"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("accounts(accountnumber='BAT-COE-3')")).StatusCode);
    }

    [Fact]
    public async Task Batch_of_more_than_1000_requests_is_refused_whole()
    {
        var builder = new BatchBuilder("batch_big");
        for (int i = 0; i < 1001; i++)
        {
            builder.Request("POST", "accounts", $$"""{"name":"big {{i}}","accountnumber":"BIG-{{i}}"}""");
        }

        var response = await Client.BatchAsync("batch_big", builder.Build());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1001", (string)(await response.JsonAsync())["error"]!["message"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("accounts(accountnumber='BIG-0')")).StatusCode);
    }

    [Theory]
    [InlineData("--b1\r\nContent-Type: application/http\r\n\r\nPOST accounts HTTP/1.1\r\n\r\n{}\r\n", "closing boundary")]
    [InlineData("--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1--\r\n", "application/http")]
    [InlineData("--b1\r\nContent-Type: application/http\r\n\r\nFETCH accounts HTTP/1.1\r\n\r\n--b1--\r\n", "request line")]
    [InlineData("--b1\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\n\r\nGET accounts " +
        "HTTP/1.1\r\n\r\n--cs--\r\n--b1--\r\n", "change set")]
    [InlineData("--b1--\r\n", "no parts")]
    [InlineData("--b1\nContent-Type: application/http\n\nPOST accounts HTTP/1.1\n\n{}\n--b1--\n", "line 1 ('--b1…') is ended or preceded by a bare LF")]
    [InlineData("--b1\r\nContent-Type: application/http\r\n\r\nPOST accounts HTTP/1.1\r\n\r\n{}\n--b1--\r\n", "line 7 ('--b1…')")]
    public async Task Malformed_multipart_is_a_400_naming_the_fault(string body, string mentioned)
    {
        var response = await Client.BatchAsync("b1", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(mentioned, (string)(await response.JsonAsync())["error"]!["message"]!);
    }

    [Fact]
    public async Task Batch_without_a_boundary_is_refused()
    {
        var response = await Client.PostAsync("$batch", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart/mixed", (string)(await response.JsonAsync())["error"]!["message"]!);
    }

    private static int CountOf(string text, string value) => (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;

    private sealed class BatchBuilder(string boundary)
    {
        private readonly StringBuilder _text = new();

        public BatchBuilder Request(string method, string url, string? json, string? contentId = null)
        {
            _text.Append("--").Append(boundary).Append("\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
            if (contentId is not null)
            {
                _text.Append("Content-ID: ").Append(contentId).Append("\r\n");
            }

            _text.Append("\r\n").Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n");
            if (json is not null)
            {
                _text.Append("Content-Type: application/json; type=entry\r\n\r\n").Append(json).Append("\r\n");
            }
            else
            {
                _text.Append("\r\n");
            }

            return this;
        }

        public BatchBuilder ChangeSet(string changeSetBoundary, Action<BatchBuilder> build)
        {
            var inner = new BatchBuilder(changeSetBoundary);
            build(inner);
            _text.Append("--").Append(boundary).Append("\r\nContent-Type: multipart/mixed; boundary=").Append(changeSetBoundary).Append("\r\n\r\n")
                .Append(inner.Build());
            return this;
        }

        public string Build() => _text + "--" + boundary + "--\r\n";
    }
}
