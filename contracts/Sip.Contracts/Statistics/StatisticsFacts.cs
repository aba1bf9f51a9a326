namespace Sip.Contracts.Statistics;

// Statistics facts (SIP-DOMAIN §10): what statistics counts, and nothing else. A fact is published beside the
// operational event it mirrors, at the moment a measure is complete, so statistics never needs to join two events of
// one case. A fact carries pseudonymous dimensions and the dates of the measure only: no case, individual, plan,
// meeting or initiative id, no case reference, no name, identity number or free text. Its AggregateId is its own
// EventId, so nothing in the envelope groups the facts of one case either.
//
// Dimension values (strings, so a new value is not a contract change):
//   Principal:   Region, Municipality, Other, Unknown
//   AgeBand:     0-17, 18-64, 65-79, 80+, Unknown
//   Sex:         Female, Male, Unknown
//   TargetGroup: ChildrenYoung, Adults, Elderly65, PsychiatryAddiction, Dementia, MultimorbidElderly, Unknown

/// <summary>Who and where a fact is about, pseudonymously: never finer than a unit, a municipality and an age band.</summary>
public sealed record StatisticsDimensions(
    string RegionCode,
    string MunicipalityCode,
    Guid UnitId,
    string Principal,
    string AgeBand,
    string Sex,
    string TargetGroup,
    bool Discharge)
{
    public const string Unknown = "Unknown";
}

/// <summary>An initiative was sent to a unit (counted for the receiving unit): the need for SIPs as it arrives.</summary>
public sealed record InitiativeSentFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    DateTimeOffset SentAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}

/// <summary>A unit answered an initiative (<paramref name="Acknowledged"/> or declined): initiative → acknowledgement.</summary>
public sealed record InitiativeAnsweredFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    DateTimeOffset SentAt, DateTimeOffset AnsweredAt, bool Acknowledged) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}

/// <summary>
/// A plan version was signed (established). <paramref name="Version"/> 1 is a SIP established; version 2 is the plan's
/// first follow-up. <paramref name="MeetingHeldAt"/> is the meeting the version came from (meeting → plan established).
/// <paramref name="EstablishedAt"/>: for a later version, when version 1 was signed, so a follow-up is counted with the plans
/// established that month (the share of plans with a follow-up); null for version 1 and in facts sent before it existed.
/// </summary>
public sealed record PlanEstablishedFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    int Version, DateTimeOffset? MeetingHeldAt, DateTimeOffset SignedAt, DateTimeOffset? EstablishedAt = null) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}

/// <summary>
/// A meeting was held: KVÅ AU124 (physical, a region unit in the room) and AU125 (the planning meeting of a discharge),
/// and, for a case's first meeting, the wait from its first initiative. Kind: Planning, FollowUp, Evaluation, PreMeeting.
/// </summary>
public sealed record MeetingHeldFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    string Kind, DateTimeOffset HeldAt, bool Physical, int RegionUnitsInPerson, bool FirstMeetingOfCase, DateTimeOffset? FirstInitiativeAt) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}

/// <summary>
/// A LUS deadline (SIP-DOMAIN §7) was settled, met or not. Track: Green, Yellow, Red. Obligation: AdmissionNotice,
/// Summons, MeetingBeforeDischarge, MeetingAfterDischarge.
/// </summary>
public sealed record LusDeadlineFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    string Track, string Obligation, DateTimeOffset DueAt, bool Met) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}

/// <summary>At follow-up an activity of a plan was closed as done or not done.</summary>
public sealed record ActivityOutcomeFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    DateTimeOffset ClosedAt, bool Done) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}

/// <summary>At evaluation a goal of a plan was judged met or not met.</summary>
public sealed record GoalEvaluatedFact(Guid EventId, DateTimeOffset OccurredAt, string TenantId, StatisticsDimensions Dimensions,
    DateTimeOffset EvaluatedAt, bool Met) : IIntegrationEvent
{
    Guid IIntegrationEvent.AggregateId => EventId;
}
