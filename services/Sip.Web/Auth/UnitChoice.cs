using System.Security.Claims;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Auth;

/// <summary>
/// The unit the signed-in person works for on this page: <c>?enhet=</c> when a link names one of their units, else the
/// one they last chose (a cookie), else their first. Only units in the person's token are offered; the services decide
/// what each unit may see.
/// </summary>
internal sealed class UnitChoice(IHttpContextAccessor http)
{
    public const string CookieName = "sip-enhet";
    public const string QueryKey = "enhet";

    /// <summary>The person's units in the order the token lists them.</summary>
    public IReadOnlyList<Guid> Units => UnitsOf(http.HttpContext?.User);

    public Guid? Current
    {
        get
        {
            var context = http.HttpContext;
            var units = Units;
            if (context is null || units.Count == 0)
            {
                return null;
            }
            foreach (var candidate in new[] { context.Request.Query[QueryKey].ToString(), context.Request.Cookies[CookieName] })
            {
                if (Guid.TryParse(candidate, out var id) && units.Contains(id))
                {
                    return id;
                }
            }
            return units[0];
        }
    }

    public static IReadOnlyList<Guid> UnitsOf(ClaimsPrincipal? user) =>
        user?.FindAll(SipClaims.Units).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).Distinct().ToList() ?? [];

    public static void Remember(HttpResponse response, Guid unitId, bool secure) =>
        response.Cookies.Append(CookieName, unitId.ToString(), new CookieOptions
        {
            HttpOnly = true,
            Secure = secure,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(180),
        });
}
