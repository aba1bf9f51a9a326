using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Sip.ServiceDefaults.Auth;

/// <summary>
/// The local development issuer: RS256 tokens signed with a key in a PEM file that only
/// non-Production environments accept. Used by <c>./sip token</c> and by the tests.
/// </summary>
public static class DevelopmentTokens
{
    public const string DefaultIssuer = "sip-dev";

    public static RsaSecurityKey LoadPublicKey(string pemFile)
    {
        using var rsa = RsaKeys.FromPemFile(pemFile);
        return new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: false)) { KeyId = "sip-dev" };
    }

    public static void CreateKeyFileIfMissing(string pemFile)
    {
        if (File.Exists(pemFile))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pemFile))!);
        using var rsa = RSA.Create(2048);
        File.WriteAllText(pemFile, rsa.ExportRSAPrivateKeyPem());
    }

    public static string Mint(string pemFile, TokenRequest request, TimeProvider? clock = null)
    {
        using var rsa = RsaKeys.FromPemFile(pemFile);
        var key = new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)) { KeyId = "sip-dev" };
        var now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var claims = new List<Claim>
        {
            new(SipClaims.Subject, request.Subject),
            new(SipClaims.Name, request.Name),
            new(SipClaims.Tenant, request.Tenant),
        };
        claims.AddRange(request.Units.Select(u => new Claim(SipClaims.Units, u.ToString())));
        claims.AddRange(request.Roles.Select(r => new Claim(SipClaims.Roles, r)));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = request.Issuer ?? DefaultIssuer,
            Audience = request.Audience ?? SipClaims.DefaultAudience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(request.Lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}

public sealed record TokenRequest(
    string Subject,
    string Name,
    string Tenant,
    IReadOnlyList<Guid> Units,
    IReadOnlyList<string> Roles,
    TimeSpan? Lifetime = null,
    string? Issuer = null,
    string? Audience = null);
