using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sip.ServiceDefaults.Auth;

/// <summary>
/// Remembers successful validations of a bearer token until it expires (at most
/// <see cref="MaxAge"/>), so the gateway does not verify the same RS256 signature on every request
/// of a session; the service behind it still validates the token itself. Keyed by a SHA-256 of the
/// token; each hit gets its own copy of the identity, so no request sees another's claims.
/// </summary>
public sealed class CachingJsonWebTokenHandler(TimeProvider clock) : JsonWebTokenHandler
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Until)> _validated = new();

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = clock.GetUtcNow();
        if (_validated.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = hit.Result.ClaimsIdentity.Clone(),
                SecurityToken = hit.Result.SecurityToken,
                Issuer = hit.Result.Issuer,
                TokenType = hit.Result.TokenType,
            };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated)
        {
            if (_validated.Count >= MaxEntries)
            {
                _validated.Clear();
            }
            var expires = new DateTimeOffset(DateTime.SpecifyKind(validated.ValidTo, DateTimeKind.Utc));
            var until = expires < now + MaxAge ? expires : now + MaxAge;
            _validated[key] = (result, until);
        }
        return result;
    }
}
