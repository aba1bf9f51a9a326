namespace Sip.Contracts.Consent;

// Consent events carry opaque ids only: never an identity number, a name or the content of a decision.
// Withdrawn and Expired end the SIP work: the current plan is cancelled, pending summons and initiatives
// are cancelled and every unit is told.

public sealed record ConsentRefused(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid ConsentId, Guid IndividualId,
    IReadOnlyList<Guid> UnitIds) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => IndividualId;
}

public sealed record ConsentWithdrawn(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid ConsentId, Guid IndividualId,
    IReadOnlyList<Guid> UnitIds) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => IndividualId;
}

public sealed record ConsentExpired(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid ConsentId, Guid IndividualId,
    IReadOnlyList<Guid> UnitIds, DateOnly ValidUntil) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => IndividualId;
}

/// <summary>Units added or removed, categories excluded (by name, e.g. <c>PsychiatricCare</c>), the end date moved.</summary>
public sealed record ConsentScopeChanged(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid ConsentId, Guid IndividualId,
    IReadOnlyList<Guid> UnitIds, IReadOnlyList<Guid> AddedUnitIds, IReadOnlyList<Guid> RemovedUnitIds,
    IReadOnlyList<string> ExcludedCategories, DateOnly ValidUntil) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => IndividualId;
}

/// <summary>
/// A person was identified: their identifier changed kind (e.g. a temporary id linked to a personnummer).
/// When the person was already known under another record, <see cref="MergedIndividualId"/> is the record
/// that was merged into <see cref="IndividualId"/>: everything that refers to it should refer to the survivor.
/// </summary>
public sealed record IdentityLinked(Guid EventId, DateTimeOffset OccurredAt, string TenantId, Guid IndividualId, Guid? MergedIndividualId,
    string PreviousKind, string CurrentKind) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => IndividualId;
}
