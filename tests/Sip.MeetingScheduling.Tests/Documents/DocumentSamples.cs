using Sip.MeetingScheduling.Documents;

namespace Sip.MeetingScheduling.Tests.Documents;

internal static class DocumentSamples
{
    public static readonly Guid MeetingId = Guid.Parse("0193f4a2-7c1e-7b3a-9d4e-2f1a6b8c9d01");

    public static readonly Uri Link = new($"https://sip.example.se/moten/{MeetingId}");

    // Thursday 18 June 2026, 10.00–11.30 in Stockholm (summer time, UTC+2).
    public static readonly DateTimeOffset StartsAt = new(2026, 6, 18, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset EndsAt = new(2026, 6, 18, 9, 30, 0, TimeSpan.Zero);

    public static CalendarItem Item(int sequence = 0, bool cancelled = false, string placeType = "Clinic") =>
        new(MeetingId, "SIP-2026-000123", "Planning", StartsAt, EndsAt, placeType, sequence, cancelled, Link);

    public static LetterContent Letter(string? placeDetails = "Storgatan 1, 111 22 Stockholm", string placeType = "Clinic") =>
        new(
            RecipientName: "Åsa Öberg",
            RecipientAddress: "Björkvägen 3\n123 45 Solna",
            Kind: "Planning",
            StartsAt: StartsAt,
            EndsAt: EndsAt,
            PlaceType: placeType,
            PlaceDetails: placeDetails,
            Reason: "Planera stödet efter utskrivningen från sjukhuset.",
            ConvenedByUnitName: "Vårdcentralen Norra",
            ConvenerMailbox: "sip.norra@region.example.se",
            CoordinatorName: "Karin Lund",
            CoordinatorPhone: "08-123 456 78",
            ChairName: "Per Sjöberg",
            CaseReference: "SIP-2026-000123",
            LetterDate: new DateOnly(2026, 6, 1));
}
