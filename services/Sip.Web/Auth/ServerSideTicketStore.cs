using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;

namespace Sip.Web.Auth;

/// <summary>
/// Keeps each session's authentication ticket — the user's claims and the access token for the services — on the
/// server; the browser's cookie carries only a random key to it (encrypted by the cookie handler as usual). So no token
/// ever reaches the browser, not even encrypted, and signing out removes the session here, not just the cookie there.
/// </summary>
/// <remarks>
/// Behind <see cref="IDistributedCache"/>: in memory by default (one replica; a restart signs everyone out, and the
/// identity provider's own session signs them back in). Several replicas need a shared cache registered instead and a
/// shared data-protection key ring. Tickets are encrypted before they are cached, so a shared cache never holds a token
/// in clear.
/// </remarks>
internal sealed class ServerSideTicketStore(IDistributedCache cache, IDataProtectionProvider protection, TimeProvider clock) : ITicketStore
{
    private const string Prefix = "sip-web-session:";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);
    private readonly IDataProtector _protector = protection.CreateProtector("Sip.Web.Auth.ServerSideTicketStore.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await RenewAsync(key, ticket);
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var expires = ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().Add(DefaultLifetime);
        return cache.SetAsync(Prefix + key, _protector.Protect(TicketSerializer.Default.Serialize(ticket)),
            new DistributedCacheEntryOptions { AbsoluteExpiration = expires });
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var bytes = await cache.GetAsync(Prefix + key);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(bytes));
        }
        catch (CryptographicException)
        {
            // Written with a key ring this replica no longer has: the user signs in again.
            return null;
        }
    }

    public Task RemoveAsync(string key) => cache.RemoveAsync(Prefix + key);
}

internal static class CookieSession
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
}
