using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Sip.ServiceDefaults.Auth;

namespace Sip.Gateway.Tests;

/// <summary>The gateway remembers successful validations: never a failure, never past the token's life or five minutes, never a shared identity.</summary>
public sealed class TokenValidationCacheTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-cache-{Guid.NewGuid():N}.pem");
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);

    public TokenValidationCacheTests() => DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);

    public void Dispose() => File.Delete(_keyFile);

    private TokenValidationParameters Parameters(string issuer = DevelopmentTokens.DefaultIssuer) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = SipClaims.DefaultAudience,
        IssuerSigningKey = DevelopmentTokens.LoadPublicKey(_keyFile),
    };

    private string Token(TimeSpan? lifetime = null) => DevelopmentTokens.Mint(_keyFile,
        new TokenRequest("SE2321000131-E000000000901", "Anna Lind", "demo-lan", [Guid.NewGuid()], ["staff"], lifetime ?? TimeSpan.FromHours(1)));

    [Fact]
    public async Task A_repeated_token_is_accepted_with_its_own_copy_of_the_identity()
    {
        var handler = new CachingJsonWebTokenHandler(_clock);
        var token = Token();

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());
        second.ClaimsIdentity.AddClaim(new Claim("added-by-one-request", "x"));
        var third = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid && second.IsValid && third.IsValid);
        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.Null(third.ClaimsIdentity.FindFirst("added-by-one-request"));
        Assert.Equal("demo-lan", third.ClaimsIdentity.FindFirst(SipClaims.Tenant)?.Value);
    }

    [Fact]
    public async Task Within_five_minutes_the_remembered_validation_is_used_and_after_them_the_token_is_validated_again()
    {
        var handler = new CachingJsonWebTokenHandler(_clock);
        var token = Token();
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        // Parameters that would now refuse the token show whether it was validated again.
        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(issuer: "someone-else"))).IsValid);
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(issuer: "someone-else"))).IsValid);
    }

    [Fact]
    public async Task A_token_is_not_remembered_beyond_its_own_expiry()
    {
        var handler = new CachingJsonWebTokenHandler(_clock);
        var token = Token(TimeSpan.FromMinutes(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters(issuer: "someone-else"))).IsValid);
    }

    [Fact]
    public async Task A_failed_validation_is_never_remembered()
    {
        var handler = new CachingJsonWebTokenHandler(_clock);
        var token = Token();

        Assert.False((await handler.ValidateTokenAsync(token, Parameters(issuer: "someone-else"))).IsValid);
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.False((await new CachingJsonWebTokenHandler(_clock).ValidateTokenAsync(token + "x", Parameters())).IsValid);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
