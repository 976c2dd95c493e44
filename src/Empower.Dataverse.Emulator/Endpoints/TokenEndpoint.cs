using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Auth;
using Empower.Dataverse.Emulator.Options;
using Microsoft.Extensions.Options;

namespace Empower.Dataverse.Emulator.Endpoints;

/// <summary>
/// Microsoft Entra ID's client-credentials grant at <c>POST /{tenant}/oauth2/v2.0/token</c>, with its error shapes.
/// See https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow.
/// </summary>
public sealed class TokenEndpoint(TokenService tokens, IOptions<EmulatorOptions> options)
{
    public async Task<IResult> HandleAsync(HttpContext context, string tenant)
    {
        if (!context.Request.HasFormContentType)
        {
            return Error(400, "invalid_request", "AADSTS900144: The request body must be application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (!string.Equals(tenant, options.Value.Tenant, StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "invalid_request", $"AADSTS90002: Tenant '{tenant}' not found. The emulator's tenant is '{options.Value.Tenant}'.");
        }

        if (form["grant_type"] != "client_credentials")
        {
            return Error(400, "unsupported_grant_type", $"AADSTS70003: The app requested an unsupported grant type '{form["grant_type"]}'; " +
                $"use client_credentials.");
        }

        string scope = form["scope"].ToString();
        if (!scope.Split(' ').Any(s => s.EndsWith("/.default", StringComparison.Ordinal)))
        {
            return Error(400, "invalid_scope", $"AADSTS1002012: The provided value for scope '{scope}' is not valid. Client credential flows must have a " +
                $"scope value with /.default suffixed to the resource identifier.");
        }

        string clientId = form["client_id"].ToString();
        var token = tokens.Issue(clientId, form["client_secret"].ToString());
        if (token is null)
        {
            return Error(401, "invalid_client", tokens.ClientIds.Contains(clientId)
                ? $"AADSTS7000215: Invalid client secret provided for application '{clientId}'."
                : $"AADSTS700016: Application with identifier '{clientId}' was not found in the directory '{tenant}'.");
        }

        int seconds = (int)tokens.Lifetime.TotalSeconds - 1;
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = seconds,
            ["ext_expires_in"] = seconds,
            ["access_token"] = token,
        });
    }

    private static IResult Error(int status, string error, string description) => Results.Json(
        new JsonObject { ["error"] = error, ["error_description"] = description, ["error_codes"] = new JsonArray(),
            ["timestamp"] = DateTime.UtcNow.ToString("u") },
        statusCode: status);
}
