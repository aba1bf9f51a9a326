using System.Net;
using System.Net.Http.Json;
using Sip.Contracts.Directory;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>Each change of a unit is published with the unit's next version, which consumers keep the newest by (issue 14).</summary>
public sealed class UnitVersionTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_change_of_a_unit_is_published_with_the_next_version()
    {
        await using var probe = await host.ListenAsync<UnitUpdated>();
        var unit = Guid.NewGuid();
        using var admin = host.As("directory-admin");

        foreach (var mailbox in new[] { "forst@example.se", "sedan@example.se" })
        {
            using var put = await admin.PutAsJsonAsync($"api/v1/cases/units/{unit}", new { name = "Vårdcentralen Version", principal = "Region", functionalMailbox = mailbox }, Ct);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var first = await probe.WaitForAsync(m => m.GetProperty("unitId").GetGuid() == unit && m.GetProperty("functionalMailbox").GetString() == "forst@example.se");
        var second = await probe.WaitForAsync(m => m.GetProperty("unitId").GetGuid() == unit && m.GetProperty("functionalMailbox").GetString() == "sedan@example.se");
        Assert.Equal((1, 2), (first.GetProperty("version").GetInt64(), second.GetProperty("version").GetInt64()));
    }
}
