using Sip.ServiceDefaults;

namespace Sip.Case.Domain;

/// <summary>One unit membership and the roles in it (e.g. <c>staff</c>, <c>unit-administrator</c>).</summary>
public sealed record Membership(Guid UnitId, IReadOnlyList<string> Roles);

/// <summary>
/// A member of staff in the tenant's directory: who they are and which units they belong to. Sign-in still
/// comes from the region's identity provider; the directory is what units see of each other's staff and what
/// unit administrators maintain.
/// </summary>
public sealed class StaffMember
{
    public static readonly IReadOnlySet<string> KnownRoles = new HashSet<string>(StringComparer.Ordinal) { "staff", "unit-administrator", "statistician", "auditor" };

    private StaffMember()
    {
    }

    /// <summary>The person's id at the identity provider (an HSA-id in a region): the token's subject.</summary>
    public string Subject { get; private init; } = "";
    public string TenantId { get; private init; } = "";
    public string Name { get; private set; } = "";
    public string? Title { get; private set; }
    public List<Membership> Memberships { get; private set; } = [];
    public List<Guid> UnitIds { get; private set; } = [];
    public DateTimeOffset UpdatedAt { get; private set; }

    public static StaffMember Create(string tenantId, string subject) =>
        string.IsNullOrWhiteSpace(subject) || subject.Length > 128
            ? throw new DomainException("validation", "Ogiltig begäran", "Ange personens id (t.ex. HSA-id), högst 128 tecken.", StatusCodes.Status400BadRequest)
            : new StaffMember { TenantId = tenantId, Subject = subject.Trim() };

    public void Update(string name, string? title, IReadOnlyList<Membership> memberships, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("validation", "Ogiltig begäran", "Ange personens namn.", StatusCodes.Status400BadRequest);
        }
        var unknown = memberships.SelectMany(m => m.Roles).Where(r => !KnownRoles.Contains(r)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw new DomainException("validation", "Ogiltig begäran", $"Okänd roll: {string.Join(", ", unknown)}. Roller: {string.Join(", ", KnownRoles.Order())}.", StatusCodes.Status400BadRequest);
        }
        Name = name.Trim();
        Title = TitleOf(title);
        Memberships = memberships.GroupBy(m => m.UnitId).Select(g => new Membership(g.Key, g.SelectMany(m => m.Roles).Distinct().Order().ToList())).ToList();
        UnitIds = Memberships.Select(m => m.UnitId).ToList();
        UpdatedAt = now;
    }

    /// <summary>Whether <see cref="Update"/> with this name and title would change either.</summary>
    public bool WouldRename(string name, string? title) => name.Trim() != Name || TitleOf(title) != Title;

    private static string? TitleOf(string? title) => string.IsNullOrWhiteSpace(title) ? null : title.Trim();
}
