using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Statistics;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Apis;

/// <summary>
/// The pseudonymous dimensions of a statistics fact (SIP-DOMAIN §10) from a case and the unit it is counted for: the
/// municipality, its county as region, the unit and its principal, the individual's age band on the fact's date (from
/// the birth year and month consent gave when the case was opened), sex, target group, and discharge or not.
/// </summary>
internal static class StatisticsFacts
{
    /// <param name="at">When the measure happened: the age band is the individual's age on that day in Sweden.</param>
    public static async Task<StatisticsDimensions> DimensionsAsync(CaseDbContext db, SipCase sipCase, Guid unitId, DateTimeOffset at, CancellationToken ct)
    {
        var principal = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => (Principal?)u.Principal).FirstOrDefaultAsync(ct);
        return sipCase.ForStatistics().Dimensions(sipCase.MunicipalityCode, unitId, principal?.ToString() ?? StatisticsDimensions.Unknown,
            sipCase.Discharge is not null, SwedishCalendar.Today(at));
    }
}
