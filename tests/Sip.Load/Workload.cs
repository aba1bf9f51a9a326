using System.Collections.Concurrent;
using System.Net;

namespace Sip.Load;

/// <summary>A person registered with a consent that covers Vårdcentralen Norrby and Socialtjänsten Mölndal.</summary>
public sealed record Person(Guid IndividualId, Guid ConsentId);

/// <summary>A case with a plan draft, and the ETag of the draft as last seen.</summary>
public sealed class PlanDraft(Guid caseId, string etag)
{
    public Guid CaseId { get; } = caseId;
    public string ETag { get; set; } = etag;
}

/// <summary>One kind of request: what it is called in the report, how to send it, and which answers are right.</summary>
public sealed record Operation(string Name, Func<CancellationToken, Task<Answer>> Run, params HttpStatusCode[] Accepted);

/// <summary>
/// The SIP work that staff do through the gateway, as the load and the chaos run send it: Anna at Vårdcentralen Norrby
/// registers people, records consent, opens cases with an initiative to Socialtjänsten Mölndal and writes plans; Erik at
/// Mölndal reads his inbox and acknowledges. Every write keeps the pools (people, plans, initiatives awaiting an answer)
/// that later operations draw on.
/// </summary>
public sealed class Workload(Staff anna, Staff erik, string municipalityCode)
{
    private readonly List<Person> people = [];
    private readonly List<PlanDraft> plans = [];
    private readonly List<Guid> cases = [];
    private readonly ConcurrentQueue<(Guid CaseId, Guid InitiativeId)> awaiting = new();

    public string MunicipalityCode { get; } = municipalityCode;
    public int AwaitingCount => awaiting.Count;

    /// <summary>A new person with a consent; a random number that hits someone already registered with a consent (409) is drawn again.</summary>
    public async Task<Answer> RegisterAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await RegisterOnceAsync(ct);
            if (answer.Status != HttpStatusCode.Conflict || attempt == 3)
            {
                return answer;
            }
        }
    }

    private async Task<Answer> RegisterOnceAsync(CancellationToken ct)
    {
        var registered = await anna.PostAsync("api/v1/consent/individuals", new { identifier = Personnummer.New(), unitId = Units.Norrby }, ct);
        if (!registered.Ok)
        {
            return registered;
        }
        var consent = await anna.PostAsync("api/v1/consent/consents", new
        {
            individualId = registered.Id("individualId"),
            basis = "Individual",
            declarations = new[] { new { decision = "Consents", form = "Oral" } },
            unitIds = new[] { Units.Norrby, Units.Molndal },
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(6)),
            recordedByUnitId = Units.Norrby,
        }, ct);
        if (consent.Ok)
        {
            Add(people, new Person(registered.Id("individualId"), consent.Id("consentId")));
        }
        return consent;
    }

    public async Task<Answer> OpenCaseAsync(CancellationToken ct)
    {
        var person = Pick(people) ?? throw new InvalidOperationException("nobody registered yet");
        var opened = await anna.PostAsync("api/v1/cases", new
        {
            individualId = person.IndividualId,
            actingUnitId = Units.Norrby,
            municipalityCode = MunicipalityCode,
            reason = "Behöver samordnade insatser från vårdcentral och socialtjänst.",
            urgency = "Normal",
            initiativeUnitIds = new[] { Units.Molndal },
        }, ct);
        if (opened.Ok)
        {
            var caseId = opened.Id("caseId");
            Add(cases, caseId);
            awaiting.Enqueue((caseId, opened.Json.GetProperty("initiatives")[0].GetProperty("initiativeId").GetGuid()));
        }
        return opened;
    }

    /// <summary>Opens a case and writes its first plan draft, which plan reads and edits then use.</summary>
    public async Task<Answer> OpenCaseWithPlanAsync(CancellationToken ct)
    {
        var opened = await OpenCaseAsync(ct);
        if (!opened.Ok)
        {
            return opened;
        }
        var caseId = opened.Id("caseId");
        var created = await anna.PostAsync($"api/v1/cases/{caseId}/plans", new { unitId = Units.Norrby, meetingAt = DateTimeOffset.Now.AddHours(-1) }, ct);
        if (!created.Ok)
        {
            return created;
        }
        var read = await anna.GetAsync($"api/v1/cases/{caseId}/plans/1?unitId={Units.Norrby}", ct);
        if (read.Ok && read.ETag is not null)
        {
            Add(plans, new PlanDraft(caseId, read.ETag));
        }
        return read;
    }

    /// <summary>Erik acknowledges the oldest initiative awaiting an answer (none waiting: he reads his inbox instead).</summary>
    public async Task<Answer> AcknowledgeAsync(CancellationToken ct)
    {
        if (!awaiting.TryDequeue(out var next))
        {
            return await InboxAsync(erik, Units.Molndal, ct);
        }
        var answer = await erik.PostAsync($"api/v1/cases/{next.CaseId}/initiatives/{next.InitiativeId}/acknowledge",
            new { unitId = Units.Molndal, suggestedTimes = new[] { DateTimeOffset.Now.AddDays(7) } }, ct);
        if ((int)answer.Status >= 500 || answer.Status == HttpStatusCode.TooManyRequests)
        {
            awaiting.Enqueue(next);
        }
        return answer;
    }

    /// <summary>Anna rewrites a plan draft under If-Match; a 412 (someone saved first) is a right answer, and the next edit uses the new ETag.</summary>
    public async Task<Answer> EditPlanAsync(CancellationToken ct)
    {
        var draft = Pick(plans) ?? throw new InvalidOperationException("no plan drafts yet");
        var saved = await anna.SendAsync(HttpMethod.Put, $"api/v1/cases/{draft.CaseId}/plans/1",
            new { unitId = Units.Norrby, content = PlanContent($"Tycker om musik ({Random.Shared.Next(1000)})") }, draft.ETag, ct);
        if (saved.Ok && saved.ETag is not null)
        {
            draft.ETag = saved.ETag;
        }
        else if (saved.Status == HttpStatusCode.PreconditionFailed)
        {
            var read = await anna.GetAsync($"api/v1/cases/{draft.CaseId}/plans/1?unitId={Units.Norrby}", ct);
            draft.ETag = read.ETag ?? draft.ETag;
        }
        return saved;
    }

    /// <summary>The person withdraws the consent: every case of theirs is cancelled and the units are told. They leave the pool.</summary>
    public async Task<Answer> WithdrawAsync(CancellationToken ct)
    {
        Person? person;
        lock (people)
        {
            if (people.Count < 2)
            {
                person = null;
            }
            else
            {
                var i = Random.Shared.Next(people.Count);
                person = people[i];
                people[i] = people[^1];
                people.RemoveAt(people.Count - 1);
            }
        }
        if (person is null)
        {
            return await RegisterAsync(ct);
        }
        var answer = await WithdrawConsentAsync(person, ct);
        if (!answer.Ok && answer.Status != HttpStatusCode.Conflict)
        {
            Add(people, person);
        }
        return answer;
    }

    /// <summary>
    /// Everyone still in the pool withdraws their consent, which cancels every case of theirs with its initiatives, plans
    /// and meetings: what the run added to the units' inboxes and summons goes again. Answers other than 200 (a consent
    /// already withdrawn: 409) are counted, not thrown.
    /// </summary>
    public async Task<(int Withdrawn, int Failed)> WithdrawEveryoneAsync(CancellationToken ct)
    {
        Person[] everyone;
        lock (people)
        {
            everyone = [.. people];
            people.Clear();
        }
        var withdrawn = 0;
        await Parallel.ForEachAsync(everyone, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (person, token) =>
        {
            if ((await WithdrawConsentAsync(person, token)).Ok)
            {
                Interlocked.Increment(ref withdrawn);
            }
        });
        return (withdrawn, everyone.Length - withdrawn);
    }

    private Task<Answer> WithdrawConsentAsync(Person person, CancellationToken ct) =>
        anna.PostAsync($"api/v1/consent/consents/{person.ConsentId}/withdrawal", new { form = "Written", unitId = Units.Norrby }, ct);

    public Task<Answer> InboxAsync(Staff staff, Guid unitId, CancellationToken ct) => staff.GetAsync($"api/v1/cases/inbox?unitId={unitId}", ct);
    public Task<Answer> ReadPlanAsync(CancellationToken ct) => anna.GetAsync($"api/v1/cases/{Pick(plans)!.CaseId}/plans/1?unitId={Units.Norrby}", ct);
    public Task<Answer> ReadCaseAsync(CancellationToken ct) => erik.GetAsync($"api/v1/cases/{Pick(cases)}", ct);
    public Task<Answer> ReadConsentsAsync(CancellationToken ct) => anna.GetAsync($"api/v1/consent/individuals/{Pick(people)!.IndividualId}/consents?unitId={Units.Norrby}", ct);
    public Task<Answer> ReadSummonsAsync(CancellationToken ct) => erik.GetAsync($"api/v1/meetings/summons?unitId={Units.Molndal}", ct);

    public Operation InboxOf(string name, bool municipal) => municipal
        ? new(name, ct => InboxAsync(erik, Units.Molndal, ct), HttpStatusCode.OK)
        : new(name, ct => InboxAsync(anna, Units.Norrby, ct), HttpStatusCode.OK);

    private static void Add<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }
    }

    private static T? Pick<T>(List<T> list) where T : class?
    {
        lock (list)
        {
            return list.Count == 0 ? null : list[Random.Shared.Next(list.Count)];
        }
    }

    private static Guid Pick(List<Guid> list)
    {
        lock (list)
        {
            return list[Random.Shared.Next(list.Count)];
        }
    }

    private static object PlanContent(string strengths) => new
    {
        participants = new object[]
        {
            new { name = "Kim Berg", role = "Den enskilde", participation = "InPerson" },
            new { name = "Anna Lind", role = "Distriktssköterska", unitId = Units.Norrby, principal = "Region", participation = "InPerson" },
            new { name = "Erik Ek", role = "Socialsekreterare", unitId = Units.Molndal, principal = "Municipality", participation = "Video" },
        },
        fixedCareContacts = new[] { "Anna Lind" },
        coordinator = "Anna Lind",
        coordinatorUnitId = Units.Norrby,
        chair = "Anna Lind",
        reason = "Behöver samordnade insatser efter utskrivning.",
        currentSituation = "Bor ensam, har svårt att klara vardagen.",
        strengths,
        longTermGoals = new[] { "Att bo kvar hemma och må bra" },
        shortTermGoals = new object[]
        {
            new
            {
                id = Guid.NewGuid(), text = "Stabil vardag",
                activities = new object[]
                {
                    new { id = Guid.NewGuid(), what = "Boendestöd", responsibleKind = "Unit", responsibleUnitId = Units.Molndal, principal = "Municipality", timing = "2 gånger per vecka" },
                },
            },
        },
        noMeasuresByOthers = false,
        overallResponsibility = "Municipality",
        individualView = "Vill klara mig själv så mycket som möjligt.",
        disagreements = Array.Empty<string>(),
        nextFollowUp = new { date = DateOnly.FromDateTime(DateTime.Today.AddMonths(1)), convenedBy = "Anna Lind" },
    };
}
