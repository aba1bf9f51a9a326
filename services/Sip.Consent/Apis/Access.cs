using Microsoft.EntityFrameworkCore;
using Sip.Consent.Domain;
using Sip.Consent.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;

namespace Sip.Consent.Apis;

/// <summary>
/// Who may see a person's records here: staff of the unit that registered the person, of a unit named
/// in a consent in force (or the unit that recorded it), or of a unit entitled to protected details.
/// Everyone else gets 404, as if the person did not exist.
/// </summary>
internal static class Access
{
    /// <summary>Whether staff of <paramref name="unitId"/> may see <paramref name="individual"/> (same rule as <see cref="IndividualForAsync"/>).</summary>
    public static async Task<bool> CanSeeAsync(this ConsentDbContext db, SipUser user, Individual individual, Guid unitId, CancellationToken ct) =>
        user.IsMemberOf(unitId) && (await UnitsThatMaySeeAsync(db, individual, ct)).Contains(unitId);

    public static async Task<(Individual Individual, Guid ActingUnit)> IndividualForAsync(this ConsentDbContext db, SipUser user, Guid individualId,
        Guid? requestedUnit, CancellationToken ct)
    {
        var individual = await db.Individuals.SingleOrDefaultAsync(i => i.Id == individualId && i.TenantId == user.TenantId, ct)
            ?? throw NotFound();
        var allowed = (await UnitsThatMaySeeAsync(db, individual, ct)).Where(user.IsMemberOf).ToList();
        if (allowed.Count == 0)
        {
            throw NotFound();
        }
        if (requestedUnit is { } unit)
        {
            return allowed.Contains(unit) ? (individual, unit) : throw NotFound();
        }
        return (individual, allowed[0]);
    }

    private static async Task<IReadOnlyList<Guid>> UnitsThatMaySeeAsync(ConsentDbContext db, Individual individual, CancellationToken ct)
    {
        var inForce = await db.Consents.AsNoTracking()
            .Where(c => c.TenantId == individual.TenantId && c.IndividualId == individual.Id && (c.Status == ConsentStatus.Pending || c.Status == ConsentStatus.Given))
            .Select(c => new { c.UnitIds, c.RecordedByUnitId })
            .ToListAsync(ct);
        return [.. new[] { individual.RegisteredByUnitId }.Concat(individual.EntitledUnitIds).Concat(inForce.SelectMany(c => c.UnitIds.Append(c.RecordedByUnitId))).Distinct()];
    }

    public static Guid RequireMembership(this SipUser user, Guid unitId) =>
        user.IsMemberOf(unitId)
            ? unitId
            : throw new DomainException("not-member-of-unit", "Åtkomst nekad", "Du kan bara arbeta för en enhet som du tillhör.", StatusCodes.Status403Forbidden);

    public static DomainException NotFound() => new("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
}
