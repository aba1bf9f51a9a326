using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Sip.Web.Tests;

/// <summary>
/// The canned world of the stand-in gateway: the demo tenant's units (gateway/Sip.DevTools/demo-tenant.json), each
/// unit's inbox and summons, and meetings — one per test that changes one, so tests running at once do not meet.
/// </summary>
public static class Demo
{
    public static readonly Guid Norrby = Guid.Parse("0b9d6f2a-1c4e-4a51-9a0e-1f00000000a1");       // anna
    public static readonly Guid SocMolndal = Guid.Parse("0b9d6f2a-1c4e-4a51-9a0e-1f00000000b1");    // erik, ulla
    public static readonly Guid Hemtjansten = Guid.Parse("0b9d6f2a-1c4e-4a51-9a0e-1f00000000b2");   // ulla
    /// <summary>Sara's unit: an inbox of <see cref="PartilleItems"/> messages, more than a page holds.</summary>
    public static readonly Guid Partille = Guid.Parse("0b9d6f2a-1c4e-4a51-9a0e-1f00000000c1");      // sara
    public const int PartilleItems = 150;
    public const string AnnaSubject = "SE2321000131-E000000000901";

    public static readonly (Guid Id, string Name)[] Units =
    [
        (Norrby, "Vårdcentralen Norrby"),
        (SocMolndal, "Socialtjänsten Mölndal, mottagning vuxen"),
        (Hemtjansten, "Hemtjänsten Mölndal"),
        (Partille, "Socialtjänsten Partille, barn och unga"),
    ];

    public static readonly Guid Case1 = Guid.Parse("c0000000-0000-0000-0000-000000000001");
    public static readonly Guid Case2 = Guid.Parse("c0000000-0000-0000-0000-000000000002");
    public static readonly Guid Case3 = Guid.Parse("c0000000-0000-0000-0000-000000000003");
    public static readonly Guid Case4 = Guid.Parse("c0000000-0000-0000-0000-000000000004");
    public static readonly Guid Case5 = Guid.Parse("c0000000-0000-0000-0000-000000000005");
    /// <summary>Open, with a locked and followed-up plan: closed by the goal evaluation test on the case page.</summary>
    public static readonly Guid Case6 = Guid.Parse("c0000000-0000-0000-0000-000000000006");
    /// <summary>As <see cref="Case6"/>: closed by the goal evaluation test on the plan page.</summary>
    public static readonly Guid Case7 = Guid.Parse("c0000000-0000-0000-0000-000000000007");

    /// <summary>The short-term goals of the locked plan of <see cref="Case6"/> and <see cref="Case7"/>.</summary>
    public static readonly (Guid Id, string Text)[] Goals =
    [
        (Guid.Parse("a0000000-0000-0000-0000-000000000001"), "Bo kvar hemma med stöd"),
        (Guid.Parse("a0000000-0000-0000-0000-000000000002"), "Komma igång med dagverksamhet"),
        (Guid.Parse("a0000000-0000-0000-0000-000000000003"), "Sova hela nätter"),
    ];

    /// <summary>Anna's overdue summons: the acknowledge test answers it.</summary>
    public static readonly Guid MeetingToAcknowledge = Guid.Parse("d0000000-0000-0000-0000-000000000001");
    /// <summary>Answered wrongly on purpose by the problem test; never answered well.</summary>
    public static readonly Guid MeetingForProblems = Guid.Parse("d0000000-0000-0000-0000-000000000002");
    /// <summary>Answered by the keyboard-only test.</summary>
    public static readonly Guid MeetingForKeyboard = Guid.Parse("d0000000-0000-0000-0000-000000000003");
    /// <summary>Convened by Anna's unit: nothing for her to answer; the e-mail link test opens it.</summary>
    public static readonly Guid MeetingConvenedByNorrby = Guid.Parse("d0000000-0000-0000-0000-000000000004");
    /// <summary>Hemtjänsten's overdue summons (Ulla's second unit).</summary>
    public static readonly Guid MeetingForHemtjansten = Guid.Parse("d0000000-0000-0000-0000-000000000005");
    /// <summary>Declined by the decline test.</summary>
    public static readonly Guid MeetingToDecline = Guid.Parse("d0000000-0000-0000-0000-000000000006");

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static IEnumerable<Meeting> Meetings() =>
    [
        new(MeetingToAcknowledge, Case1, "SIP-2026-0001", SocMolndal, Now.AddDays(2), [new Summons(S(1), Norrby, Now.AddDays(-3)), new Summons(S(11), Hemtjansten, Now.AddDays(1))]),
        new(MeetingForProblems, Case1, "SIP-2026-0001", SocMolndal, Now.AddDays(6), [new Summons(S(2), Norrby, Now.AddDays(1))]),
        new(MeetingForKeyboard, Case2, "SIP-2026-0002", SocMolndal, Now.AddDays(8), [new Summons(S(3), Norrby, Now.AddDays(4))]),
        new(MeetingConvenedByNorrby, Case3, "SIP-2026-0003", Norrby, Now.AddDays(9), [new Summons(S(4), SocMolndal, Now.AddDays(2))]),
        new(MeetingForHemtjansten, Case5, "SIP-2026-0005", SocMolndal, Now.AddDays(3), [new Summons(S(5), Hemtjansten, Now.AddDays(-1))]),
        new(MeetingToDecline, Case3, "SIP-2026-0003", SocMolndal, Now.AddDays(10), [new Summons(S(6), Norrby, Now.AddDays(5))]),
    ];

    public static Guid S(int n) => Guid.Parse($"e0000000-0000-0000-0000-{n:D12}");

    /// <summary>GET /api/v1/cases/inbox, as the case service answers it: sorted by deadline, those without one last.</summary>
    public static object Inbox(Guid unitId, int page = 1, int pageSize = 100)
    {
        if (unitId == Partille)
        {
            var messages = Enumerable.Range(1, PartilleItems)
                .Select(n => Item("MessageToAcknowledge", Case4, $"SIP-2026-{1000 + n:D4}", SocMolndal, null, overdue: false))
                .Skip((page - 1) * pageSize).Take(pageSize).ToArray();
            return new { items = messages, total = PartilleItems, page, pageSize, asOf = Now };
        }
        object[] items = unitId == Norrby
            ?
            [
                Item("PlanToSign", Case3, "SIP-2026-0003", null, Now.AddDays(-1), overdue: true, planVersion: 1),
                Item("InitiativeToAnswer", Case1, "SIP-2026-0001", SocMolndal, Now.AddDays(2), overdue: false),
                Item("MessageToAcknowledge", Case2, "SIP-2026-0002", SocMolndal, null, overdue: false),
            ]
            : unitId == SocMolndal
                ? [Item("InitiativeToAnswer", Case4, "SIP-2026-0004", Norrby, Now.AddDays(1), overdue: false)]
                : unitId == Hemtjansten
                    ? [Item("FollowUpDue", Case5, "SIP-2026-0005", null, Now.AddDays(3), overdue: false, planVersion: 2)]
                    : [];
        return new { items, total = items.Length, page = 1, pageSize = 100, asOf = Now };
    }

    private static object Item(string kind, Guid caseId, string reference, Guid? from, DateTimeOffset? due, bool overdue, int? planVersion = null) => new
    {
        kind,
        itemId = Guid.NewGuid(),
        caseId,
        caseReference = reference,
        urgency = "Normal",
        fromUnitId = from,
        receivedAt = Now.AddDays(-5),
        dueAt = due,
        overdue,
        planVersion,
        obligation = (string?)null,
    };

    /// <summary>GET /api/v1/meetings/summons: what awaits the unit's answer (fixed, so the inbox test sees the same list whatever ran before).</summary>
    public static object[] Summons(Guid unitId) => Meetings()
        .SelectMany(m => m.Summons.Where(s => s.UnitId == unitId && unitId != SocMolndal).Select(s => (m, s)))
        .Select(x => (object)new
        {
            summonsId = x.s.Id,
            meetingId = x.m.Id,
            caseId = x.m.CaseId,
            caseReference = x.m.Reference,
            kind = "Planning",
            startsAt = x.m.StartsAt,
            localTime = "måndag 14 december 2026 kl. 13.00–14.30",
            convenedByUnitId = x.m.ConvenedBy,
            dueAt = x.s.DueAt,
            overdue = x.s.DueAt < Now,
        })
        .ToArray();

    public static object? Case(Guid caseId, string targetGroup = "NotStated", object? closure = null) => caseId.ToString()[^1] is >= '1' and <= '7'
        ? new
        {
            caseId,
            reference = $"SIP-2026-000{caseId.ToString()[^1]}",
            individualId = Guid.NewGuid(),
            municipalityCode = "1481",
            reason = "Behöver samordnade insatser",
            urgency = "Normal",
            status = closure is null ? "Open" : "Closed",
            closure,
            openedByUnitId = Norrby,
            openedAt = Now.AddDays(-20),
            initiatives = Array.Empty<object>(),
            targetGroup,
        }
        : null;

    public static bool HasLockedPlan(Guid caseId) => caseId == Case6 || caseId == Case7;

    /// <summary>GET /api/v1/cases/{caseId}/plans/1: PlanResponse of services/Sip.Case/Apis/PlansApi.cs, locked, coordinated by Norrby.</summary>
    public static object LockedPlan() => new
    {
        version = 1,
        status = "Locked",
        revision = 4,
        content = new
        {
            participants = Array.Empty<object>(),
            fixedCareContacts = Array.Empty<string>(),
            longTermGoals = new[] { "Ett tryggt liv hemma" },
            shortTermGoals = Goals.Select((g, i) => new
            {
                id = g.Id,
                text = g.Text,
                activities = new[] { new { id = Guid.Parse($"b0000000-0000-0000-0000-00000000000{i + 1}"), what = "Hembesök", responsibleKind = "Unit", responsibleUnitId = Norrby, principal = "Region", status = "Done" } },
            }),
            disagreements = Array.Empty<string>(),
            coordinator = "Anna Lind",
            coordinatorUnitId = Norrby,
            overallResponsibility = "Region",
        },
        meetingAt = Now.AddDays(-60),
        dueAt = Now.AddDays(-58),
        late = false,
        signedAt = Now.AddDays(-59),
        lockedAt = Now.AddDays(-59),
        individualSignature = new { signedBy = "Lena Berg", how = "Underskrift på papper", signedOn = "2026-10-01" },
        coordinatorSignature = new { signedBy = "Anna Lind", how = "Underskrift på papper", signedOn = "2026-10-01" },
        copyRecipients = new[] { "Den enskilde" },
        copies = Array.Empty<object>(),
        copiesToSend = Array.Empty<string>(),
        activities = Array.Empty<object>(),
        missingLegalPoints = Array.Empty<string>(),
    };

    /// <summary>GET /api/v1/cases/{caseId}/plans: the one locked version.</summary>
    public static object[] PlanVersions() =>
        [new { version = 1, status = "Locked", meetingAt = Now.AddDays(-60), dueAt = Now.AddDays(-58), late = false, signedAt = Now.AddDays(-59), lockedAt = Now.AddDays(-59) }];
}

public sealed class Meeting(Guid id, Guid caseId, string reference, Guid convenedBy, DateTimeOffset startsAt, List<Summons> summons)
{
    public Guid Id => id;
    public Guid CaseId => caseId;
    public string Reference => reference;
    public Guid ConvenedBy => convenedBy;
    public DateTimeOffset StartsAt => startsAt;
    public List<Summons> Summons => summons;

    public bool Involves(Guid unitId) => unitId == convenedBy || summons.Any(s => s.UnitId == unitId);

    public object Summary() => new
    {
        meetingId = id, caseId, caseReference = reference, kind = "Planning", status = "Planned", startsAt, endsAt = startsAt.AddMinutes(90),
        localTime = "måndag 14 december 2026 kl. 13.00–14.30", placeType = "Clinic", convenedByUnitId = convenedBy,
        awaitingAnswer = summons.Count(s => s.Status == "Sent"), overdue = 0,
    };

    /// <summary>GET /api/v1/meetings/{id}: MeetingResponse of services/Sip.MeetingScheduling/Apis/MeetingsApi.cs.</summary>
    public object View() => new
    {
        meetingId = id,
        caseId,
        caseReference = reference,
        kind = "Planning",
        status = "Planned",
        startsAt,
        endsAt = startsAt.AddMinutes(90),
        durationMinutes = 90,
        localTime = "måndag 14 december 2026 kl. 13.00–14.30",
        place = new { type = "Clinic", details = "Vårdcentralen Norrby, rum 12" },
        chair = new { name = "Erik Berg", unitId = Demo.SocMolndal, phone = "031-123 45 67" },
        coordinator = new { name = "Erik Berg", unitId = Demo.SocMolndal, phone = (string?)null },
        convenedByUnitId = convenedBy,
        reason = "Planera insatser inför hemgång",
        sequence = 0,
        summons = summons.Select(s => s.View()).ToList(),
        heldAt = (DateTimeOffset?)null,
        participants = Array.Empty<object>(),
        cancelledBecause = (string?)null,
        previousMeetingId = (Guid?)null,
        nextMeetingId = (Guid?)null,
    };
}

/// <summary>A summons with the meeting-scheduling service's answer rules (Domain/Meeting.cs, Summons), same problem types and texts.</summary>
public sealed class Summons(Guid id, Guid unitId, DateTimeOffset dueAt)
{
    public Guid Id => id;
    public Guid UnitId => unitId;
    public DateTimeOffset DueAt => dueAt;
    public string Status { get; private set; } = "Sent";
    public JsonArray Attendees { get; private set; } = [];
    public string? DeclineReason { get; private set; }

    public IResult? Acknowledge(JsonArray attendees)
    {
        if (Status != "Sent")
        {
            return StandInGateway.Problem(409, "summons-already-answered", "Kallelsen är redan besvarad", "Kallelsen är redan kvitterad eller avböjd.");
        }
        if (attendees.Count == 0 || attendees.Any(a => string.IsNullOrWhiteSpace(a!["name"]?.GetValue<string>())))
        {
            return StandInGateway.Problem(400, "attendees-missing", "Ange vem som kommer",
                "Kvittera kallelsen med namnet på den eller de som deltar och hur (på plats, telefon, video eller skriftligt).");
        }
        Status = "Acknowledged";
        Attendees = (JsonArray)attendees.DeepClone();
        return null;
    }

    public IResult? Decline(string reason)
    {
        if (Status != "Sent")
        {
            return StandInGateway.Problem(409, "summons-already-answered", "Kallelsen är redan besvarad", "Kallelsen är redan kvitterad eller avböjd.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return StandInGateway.Problem(400, "decline-without-reason", "Ange varför enheten avböjer", "En enhet som avböjer en kallelse anger varför.");
        }
        Status = "Declined";
        DeclineReason = reason.Trim();
        return null;
    }

    public object View() => new
    {
        summonsId = id,
        unitId,
        status = Status,
        sentAt = dueAt.AddDays(-1),
        dueAt,
        overdue = Status == "Sent" && dueAt < DateTimeOffset.UtcNow,
        answeredAt = Status == "Sent" ? (DateTimeOffset?)null : DateTimeOffset.UtcNow,
        attendees = Attendees,
        declineReason = DeclineReason,
    };
}
