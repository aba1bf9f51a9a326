using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Tests;

/// <summary>
/// The region's identity provider, as far as authorization code with PKCE goes: discovery, keys, an authorize endpoint
/// that signs Anna in at once, and a token endpoint that checks the code verifier. It signs the ID token with its own
/// key, and hands out an access token from the development issuer that the stand-in gateway accepts.
/// </summary>
public sealed class StandInIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "sip-web";
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "idp-test" };
    private readonly ConcurrentDictionary<string, (string Challenge, string Method, string? Nonce, string RedirectUri)> _codes = new();
    private readonly string _devKeyFile;

    public ConcurrentQueue<IDictionary<string, string>> AuthorizeRequests { get; } = new();
    public ConcurrentQueue<IDictionary<string, string>> TokenRequests { get; } = new();
    public ConcurrentQueue<string> IssuedAccessTokens { get; } = new();

    public string Authority { get; private set; } = "";

    private StandInIdentityProvider(string devKeyFile)
    {
        _devKeyFile = devKeyFile;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/jwks",
            ["end_session_endpoint"] = Authority + "/logout",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId }) } }));
        _app.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query.ToDictionary(p => p.Key, p => p.Value.ToString());
            AuthorizeRequests.Enqueue(q);
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = (q.GetValueOrDefault("code_challenge", ""), q.GetValueOrDefault("code_challenge_method", ""), q.GetValueOrDefault("nonce"), q["redirect_uri"]);
            var target = $"{q["redirect_uri"]}?code={code}&state={UrlEncoder.Default.Encode(q.GetValueOrDefault("state", ""))}";
            return Results.Redirect(target);
        });
        _app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = (await request.ReadFormAsync()).ToDictionary(p => p.Key, p => p.Value.ToString());
            TokenRequests.Enqueue(form);
            if (!_codes.TryRemove(form.GetValueOrDefault("code", ""), out var issued) || issued.RedirectUri != form.GetValueOrDefault("redirect_uri")
                || issued.Method != "S256" || S256(form.GetValueOrDefault("code_verifier", "")) != issued.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }
            var now = DateTime.UtcNow;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Authority,
                Audience = ClientId,
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(10),
                Claims = new Dictionary<string, object> { ["nonce"] = issued.Nonce ?? "" },
                Subject = new ClaimsIdentity([new Claim("sub", Demo.AnnaSubject), new Claim("name", "Anna Lind, distriktssköterska")]),
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            });
            // The platform's claims travel in the access token only: the app reads its units from there.
            var accessToken = DevelopmentTokens.Mint(_devKeyFile, new TokenRequest(Demo.AnnaSubject, "Anna Lind, distriktssköterska", "demo-lan",
                [Demo.Norrby], ["staff"], TimeSpan.FromHours(1)));
            IssuedAccessTokens.Enqueue(accessToken);
            return Results.Json(new { id_token = idToken, access_token = accessToken, token_type = "Bearer", expires_in = 3600 });
        });
    }

    public static async Task<StandInIdentityProvider> StartAsync(string devKeyFile)
    {
        var idp = new StandInIdentityProvider(devKeyFile);
        await idp._app.StartAsync();
        idp.Authority = idp._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return idp;
    }

    private static string S256(string verifier) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
