using System.Net;
using System.Text.Json.Nodes;
using Empower.Sync.Dataverse.Auth;
using Empower.Sync.Dataverse.Configuration;
using Empower.Sync.Dataverse.Errors;
using Empower.Sync.Dataverse.Principals;
using Empower.Sync.Dataverse.Reading;
using Empower.Sync.Dataverse.Writing;
using Microsoft.Extensions.Time.Testing;

namespace Empower.Sync.Tests.Dataverse;

public sealed class ClientUnitTests
{
    [Fact]
    public void Deterministic_ids_are_rfc_version_5_uuids()
    {
        // RFC 9562 appendix A.4: the DNS namespace and "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), DeterministicId.Create(dns, "www.example.com"));
        Assert.Equal(DeterministicId.For("account", "A-1"), DeterministicId.For("Account", "A-1"));
        Assert.Equal(DeterministicId.For("account", "D-2", "x"), DeterministicId.For("account", "d-2", "X"));
        Assert.NotEqual(DeterministicId.For("account", "A-1"), DeterministicId.For("contact", "A-1"));
        Assert.NotEqual(DeterministicId.For("t", "a/b", "c"), DeterministicId.For("t", "a", "b/c"));
    }

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

    [Fact]
    public void Concurrency_grows_additively_up_to_the_hint_and_halves_on_throttling()
    {
        var time = new FakeTimeProvider();
        using var principal = new Principal("p", new HttpClient(), null!, initialConcurrency: 2, maxConcurrency: 52);

        for (int i = 0; i < 200; i++)
        {
            principal.OnSuccess(dopHint: 8);
        }

        Assert.Equal(8, principal.ConcurrencyLimit);
        principal.OnThrottled(time.GetUtcNow().AddSeconds(5));
        Assert.Equal(4, principal.ConcurrencyLimit);
        Assert.Equal(0, principal.Headroom(time.GetUtcNow()));
        Assert.False(principal.TryAcquire(time.GetUtcNow()));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(4, principal.Headroom(time.GetUtcNow()));
    }

    [Fact]
    public async Task The_pool_prefers_headroom_skips_throttled_principals_and_defers_past_the_deadline()
    {
        var time = new FakeTimeProvider();
        using var pool = new PrincipalPool(
            [new Principal("a", new HttpClient(), null!, 1, 52), new Principal("b", new HttpClient(), null!, 2, 52)], time);

        var (first, _) = await pool.AcquireAsync(time.GetUtcNow(), CancellationToken.None);
        pool.Throttle(pool.Principals[1], time.GetUtcNow().AddSeconds(30), "0x80072322");
        var (second, _) = await pool.AcquireAsync(time.GetUtcNow(), CancellationToken.None);
        second!.Dispose();
        var (third, _) = await pool.AcquireAsync(time.GetUtcNow(), CancellationToken.None);
        third!.Dispose();
        pool.Throttle(pool.Principals[0], time.GetUtcNow().AddSeconds(20), "0x80072321");
        var (none, retryAt) = await pool.AcquireAsync(time.GetUtcNow().AddSeconds(10), CancellationToken.None);

        Assert.Equal("b", first!.Principal.ClientId);
        Assert.Equal("a", second.Principal.ClientId);
        Assert.Equal("a", third.Principal.ClientId);
        Assert.Null(none);
        Assert.Equal(time.GetUtcNow().AddSeconds(20), retryAt);
    }

    [Fact]
    public async Task When_every_principal_failed_the_error_gives_each_reason_once()
    {
        using var pool = new PrincipalPool(
            [new Principal("app-1", new HttpClient(), null!, 1, 52), new Principal("app-2", new HttpClient(), null!, 1, 52),
                new Principal("app-3", new HttpClient(), null!, 1, 52)],
            TimeProvider.System);
        pool.Fail(pool.Principals[0], "the identity provider refused client id app-1: AADSTS7000215");
        pool.Fail(pool.Principals[1], "cannot reach the token endpoint");
        pool.Fail(pool.Principals[2], "cannot reach the token endpoint");

        var ex = await Assert.ThrowsAsync<NoUsablePrincipalException>(() => pool.AcquireAsync(DateTimeOffset.UtcNow, CancellationToken.None));

        Assert.Equal("No principal can write to Dataverse: the identity provider refused client id app-1: AADSTS7000215; cannot reach the " +
            "token endpoint", ex.Message);
    }

    [Fact]
    public void Batch_size_halves_when_slow_and_grows_back_to_the_configured_size()
    {
        var sizer = new BatchSizeController(1000, 10);

        Assert.Equal(500, sizer.Observe(slow: true));
        Assert.Equal(250, sizer.Observe(slow: true));
        for (int i = 0; i < 200; i++)
        {
            sizer.Observe(slow: false);
        }

        Assert.Equal(1000, sizer.Current);
    }

    [Fact]
    public void Key_literals_quote_strings_and_escape_for_urls()
    {
        var values = new JsonObject { ["ordernumber"] = "O'Brien 1", ["linenumber"] = 2 };

        Assert.Equal("lines(ordernumber='O''Brien 1',linenumber=2)", KeyLiteral.ForKey("lines", ["ordernumber", "linenumber"], values, escapeForUrl: false));
        Assert.Equal("lines(ordernumber='O''Brien%201',linenumber=2)", KeyLiteral.ForKey("lines", ["ordernumber", "linenumber"], values, escapeForUrl: true));
        Assert.Throws<ArgumentException>(() => KeyLiteral.ForKey("lines", ["missing"], values, false));
    }

    [Fact]
    public void Settings_problems_are_all_reported_by_key()
    {
        var options = new DataverseOptions
        {
            Principals = [new PrincipalOptions { ClientId = "a" }, new PrincipalOptions { Credential = PrincipalCredentialKind.Certificate,
                ClientId = "a", TenantId = "t" }],
            BatchSize = 5000,
            DevelopmentCertificateThumbprint = "AB",
        };

        var problems = options.Validate();

        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Url is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Principals:0:TenantId", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Principals:0:ClientSecret is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:Principals:1:CertificatePath is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'a' more than once", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:BatchSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Empower:Dataverse:DevelopmentCertificateThumbprint only applies", StringComparison.Ordinal));
    }

    [Fact]
    public void The_pinned_handler_accepts_only_its_certificate()
    {
        using var handler = PinnedCertificateHandler.Create("00");

        Assert.NotNull(handler.ServerCertificateCustomValidationCallback);
        Assert.False(handler.ServerCertificateCustomValidationCallback!(null!, null, null, System.Net.Security.SslPolicyErrors.None));
    }
}
