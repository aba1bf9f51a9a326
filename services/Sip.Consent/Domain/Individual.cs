namespace Sip.Consent.Domain;

/// <summary>A person known to the platform. Elsewhere only <see cref="Id"/> is used, never the identity number.</summary>
public sealed class Individual
{
    private Individual()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public IdentityKind IdentityKind { get; private init; }
    public string IdentityValue { get; private init; } = "";
    public DateTimeOffset CreatedAt { get; private init; }

    public static Individual Register(string tenantId, IdentityNumber identity, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        TenantId = tenantId,
        IdentityKind = identity.Kind,
        IdentityValue = identity.Value,
        CreatedAt = now,
    };
}
