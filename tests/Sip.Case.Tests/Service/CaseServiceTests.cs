using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Contracts.Case;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>The case process through the case service's API, on its real database and broker, at a time the test chooses.</summary>
public sealed class CaseServiceTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static readonly TimeSpan Stockholm = TimeSpan.FromHours(1);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_initiative_sent_on_maundy_thursday_is_due_the_tuesday_after_easter_and_becomes_overdue_then()
    {
        // Thursday 25 March 2027, 10:00 in Sweden. Good Friday, Easter Sunday and Easter Monday are holidays, and
        // summer time starts on the Sunday: the answer is due Tuesday 30 March at 10:00 Swedish time (08:00 UTC).
        host.Clock.Now = new DateTimeOffset(2027, 3, 25, 10, 0, 0, Stockholm);
        using var admin = host.As("directory-admin");
        foreach (var (unit, name, principal) in new[] { (CaseServiceHost.Vardcentral, "Vårdcentralen Test", "Region"), (CaseServiceHost.Socialtjanst, "Socialtjänsten Test", "Municipality") })
        {
            await (await admin.PutAsJsonAsync($"api/v1/cases/units/{unit}", new { name, principal, municipalityCode = "1481" }, Ct)).JsonAsync(HttpStatusCode.OK);
        }
        await (await admin.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject = "nurse-1",
            name = "Anna Test",
            memberships = new[] { new { unitId = CaseServiceHost.Vardcentral, roles = new[] { "staff" } } },
        }, Ct)).JsonAsync(HttpStatusCode.OK);
        using var nurse = host.As("nurse-1", CaseServiceHost.Vardcentral);
        await using var overdue = await host.ListenAsync<InitiativeOverdue>();

        var opened = await (await nurse.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = Guid.NewGuid(),
            actingUnitId = CaseServiceHost.Vardcentral,
            municipalityCode = "1481",
            reason = "Behöver samordnade insatser från vårdcentral och socialtjänst.",
            urgency = "Normal",
            initiativeUnitIds = new[] { CaseServiceHost.Socialtjanst },
        }, Ct)).JsonAsync(HttpStatusCode.Created);
        var caseId = opened.GetProperty("caseId").GetGuid();
        var due = opened.GetProperty("initiatives")[0].GetProperty("dueAt").GetDateTimeOffset();
        Assert.Equal(new DateTimeOffset(2027, 3, 30, 8, 0, 0, TimeSpan.Zero), due);

        // Late on Easter Monday nothing is overdue yet.
        host.Clock.Now = new DateTimeOffset(2027, 3, 29, 23, 0, 0, TimeSpan.FromHours(2));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var easterMonday = await (await nurse.GetAsync($"api/v1/cases/{caseId}?unitId={CaseServiceHost.Vardcentral}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Sent", easterMonday.GetProperty("initiatives")[0].GetProperty("status").GetString());

        host.Clock.Now = new DateTimeOffset(2027, 3, 30, 10, 1, 0, TimeSpan.FromHours(2));
        var published = await overdue.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == caseId);
        var tuesday = await (await nurse.GetAsync($"api/v1/cases/{caseId}?unitId={CaseServiceHost.Vardcentral}", Ct)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(due, published.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("Overdue", tuesday.GetProperty("initiatives")[0].GetProperty("status").GetString());
    }
}
