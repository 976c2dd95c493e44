using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text.Json;
using Empower.Sync.Dataverse.Configuration;
using Microsoft.Identity.Client;

namespace Empower.Sync.Dataverse.Auth;

/// <summary>
/// Why a principal could not get a token, said so that the reader knows what to fix: the identity provider's own error
/// (<c>AADSTS…</c>) with the client id, a token endpoint that cannot be reached (and which setting names it), or a TLS
/// certificate other than the pinned one (both thumbprints). Azure.Identity's own message often ends before the reason.
/// </summary>
internal static class TokenErrors
{
    public static async Task<string> ExplainAsync(Exception error, string clientId, DataverseOptions options, CancellationToken cancellationToken = default)
    {
        var chain = Chain(error).ToList();
        if (chain.OfType<MsalServiceException>().FirstOrDefault() is { } msal && Description(msal) is { } description)
        {
            return $"the identity provider refused client id {clientId}: {description}";
        }

        if (chain.Select(e => e.Message).FirstOrDefault(m => m.Contains("AADSTS", StringComparison.Ordinal)) is { } aadsts)
        {
            return $"the identity provider refused client id {clientId}: {FirstLine(aadsts[aadsts.IndexOf("AADSTS", StringComparison.Ordinal)..])}";
        }

        var authority = options.AuthorityHost ?? new Uri("https://login.microsoftonline.com/");
        if (chain.OfType<AuthenticationException>().Any())
        {
            if (options.DevelopmentCertificateThumbprint is { } pinned)
            {
                string actual = await ThumbprintAsync(authority, cancellationToken) ?? "(could not be read)";
                return $"client id {clientId} cannot get a token: the token endpoint {authority} presents the certificate {actual} but " +
                    $"Empower:Dataverse:DevelopmentCertificateThumbprint is {pinned} — set it to the emulator's thumbprint (empower emulator prints it).";
            }

            return $"client id {clientId} cannot get a token: the token endpoint {authority} has a TLS certificate this machine does not trust: " +
                $"{FirstLine(chain.OfType<AuthenticationException>().First().Message)}";
        }

        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return $"client id {clientId} cannot reach the token endpoint {authority}: {socket.Message.ToLowerInvariant()} — is the emulator running, and " +
                $"is Empower:Dataverse:AuthorityHost right?";
        }

        if (chain.OfType<HttpRequestException>().FirstOrDefault() is { } http)
        {
            return $"client id {clientId} cannot reach the token endpoint {authority}: {FirstLine(http.Message)} — is Empower:Dataverse:AuthorityHost right?";
        }

        return $"client id {clientId} cannot get a token: " +
            $"{string.Join(" — ", chain.Select(e => FirstLine(e.Message)).Where(m => m.Length > 0 && !m.EndsWith(':')).Distinct())}";
    }

    /// <summary>The SHA-256 thumbprint of the certificate <paramref name="endpoint"/> presents, or null when it cannot be read.</summary>
    public static async Task<string?> ThumbprintAsync(Uri endpoint, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            string? thumbprint = null;
            await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
            {
                thumbprint = certificate is null ? null : Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
                return true;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host }, timeout.Token);
            return thumbprint;
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException or OperationCanceledException)
        {
            return null;
        }
    }

    private static string? Description(MsalServiceException msal)
    {
        try
        {
            return msal.ResponseBody is { Length: > 0 } body && JsonDocument.Parse(body).RootElement.TryGetProperty("error_description", out var d)
                && d.GetString() is { Length: > 0 } text
                ? FirstLine(text)
                : msal.Message.Contains("AADSTS", StringComparison.Ordinal) ? FirstLine(msal.Message) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        var pending = new Stack<Exception>([error]);
        while (pending.TryPop(out var e))
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
