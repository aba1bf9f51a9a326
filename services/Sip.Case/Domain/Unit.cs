namespace Sip.Case.Domain;

public enum Principal
{
    Region,
    Municipality,
    Other,
}

/// <summary>An addressable organisational unit in a tenant's directory; initiatives and summons go to units.</summary>
public sealed class Unit
{
    private Unit()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public string Name { get; private set; } = "";
    public Principal Principal { get; private set; }
    public string? MunicipalityCode { get; private set; }
    public string? Type { get; private set; }
    public string? FunctionalMailbox { get; private set; }

    /// <summary>HSA-id for region units, the organisation's own id otherwise; lets a region import its directory.</summary>
    public string? ExternalId { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>One more for every change; travels in <c>UnitUpdated</c> so consumers keep the newest. A concurrency token: two
    /// concurrent changes cannot both get the same version.</summary>
    public long Version { get; private set; }

    public static Unit Create(Guid id, string tenantId) => new() { Id = id, TenantId = tenantId };

    public void Update(string name, Principal principal, string? municipalityCode, string? type, string? functionalMailbox, string? externalId, DateTimeOffset now)
    {
        Name = name;
        Principal = principal;
        MunicipalityCode = municipalityCode;
        Type = type;
        FunctionalMailbox = functionalMailbox;
        ExternalId = externalId;
        UpdatedAt = now;
        Version++;
    }
}
