using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Statistics;

namespace Sip.Case.Apis;

/// <summary>
/// The pseudonymous dimensions of a statistics fact (SIP-DOMAIN §10) from a case and the unit it is counted for: the
/// municipality, its county as region, the unit and its principal, discharge or not. Case does not record the
/// individual's age band, sex or target group yet, so those are <see cref="StatisticsDimensions.Unknown"/>.
/// </summary>
internal static class StatisticsFacts
{
    public static async Task<StatisticsDimensions> DimensionsAsync(CaseDbContext db, SipCase sipCase, Guid unitId, CancellationToken ct)
    {
        var principal = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => (Principal?)u.Principal).FirstOrDefaultAsync(ct);
        return new StatisticsDimensions(RegionOf(sipCase.MunicipalityCode), sipCase.MunicipalityCode, unitId, principal?.ToString() ?? StatisticsDimensions.Unknown,
            StatisticsDimensions.Unknown, StatisticsDimensions.Unknown, StatisticsDimensions.Unknown, sipCase.Discharge is not null);
    }

    /// <summary>The county (län) code: the first two digits of a municipality code (1481 Mölndal → 14 Västra Götaland).</summary>
    public static string RegionOf(string municipalityCode) => municipalityCode.Length >= 2 ? municipalityCode[..2] : StatisticsDimensions.Unknown;
}
