using Sip.Contracts.Statistics;

namespace Sip.Statistics.Tests.Service;

/// <summary>Statistics facts as case and meeting scheduling publish them, for tests.</summary>
internal static class Facts
{
    public const string Molndal = "1481";
    public const string Boras = "1490";

    // Tue 13 October 2026, 10:00 in Sweden (CEST).
    public static readonly DateTimeOffset October = new(2026, 10, 13, 8, 0, 0, TimeSpan.Zero);

    public static string NewTenant() => $"stat-{Guid.NewGuid():N}"[..20];

    public static StatisticsDimensions Dims(string municipality = Molndal, Guid? unit = null, string principal = "Municipality", string ageBand = "18-64",
        string sex = "Female", string targetGroup = "Adults", bool discharge = false) =>
        new(municipality[..2], municipality, unit ?? Units.Molndal, principal, ageBand, sex, targetGroup, discharge);

    public static PlanEstablishedFact Established(string tenant, StatisticsDimensions d, DateTimeOffset signedAt, DateTimeOffset? meetingAt = null, int version = 1,
        DateTimeOffset? establishedAt = null) =>
        new(Guid.CreateVersion7(), signedAt, tenant, d, version, meetingAt, signedAt, establishedAt);

    public static InitiativeAnsweredFact Answered(string tenant, StatisticsDimensions d, DateTimeOffset sentAt, TimeSpan after, bool acknowledged = true) =>
        new(Guid.CreateVersion7(), sentAt + after, tenant, d, sentAt, sentAt + after, acknowledged);

    public static MeetingHeldFact Held(string tenant, StatisticsDimensions d, string kind, DateTimeOffset heldAt, bool physical = true, int regionUnits = 1,
        bool first = false, DateTimeOffset? firstInitiativeAt = null) =>
        new(Guid.CreateVersion7(), heldAt, tenant, d, kind, heldAt, physical, regionUnits, first, firstInitiativeAt);

    public static class Units
    {
        public static readonly Guid Molndal = Guid.Parse("0193a000-0000-7000-8000-000000001481");
        public static readonly Guid Boras = Guid.Parse("0193a000-0000-7000-8000-000000001490");
    }
}
