using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Sip.Testing;
using static Sip.Consent.Tests.Service.ConsentServiceHost;

namespace Sip.Consent.Tests.Service;

/// <summary>
/// No personal data in traces: the consent service — the only holder of identity numbers — runs with tracing on as in
/// production (HTTP, gRPC, Npgsql, MassTransit spans), and every span it records while a person is registered, found,
/// given representatives and consent, and refused on bad input is read: name, tags, events and status.
/// </summary>
public sealed class SpanScanTests(ConsentServiceHost host) : IClassFixture<ConsentServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_span_holds_the_identity_number_or_a_name_the_service_was_given()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Enqueue(string.Join(" | ",
                new[] { a.Source.Name, a.DisplayName, a.OperationName, a.StatusDescription ?? "" }
                    .Concat(a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                    .Concat(a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}").Append(e.Name)))
                    .Concat(a.Baggage.Select(b => $"{b.Key}={b.Value}")))),
        };
        ActivitySource.AddActivityListener(listener);

        var born = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-40);
        var personnummer = TestIdentityNumbers.Twelve($"{born:yyyyMMdd}{Random.Shared.Next(100, 999)}");
        var marker = Guid.NewGuid().ToString("N")[..8];
        var name = $"Spårlös{marker} Andersson";
        using var staff = host.Staff(Vardcentral, Socialtjanst);

        var registered = await (await staff.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = personnummer, unitId = Vardcentral }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        var individual = registered.Id("individualId");
        await (await staff.PostAsJsonAsync($"api/v1/consent/individuals/{individual}/representatives",
            new { kind = "Relative", name, relation = "Bror", unitId = Vardcentral }, Ct)).JsonAsync(HttpStatusCode.Created);
        await (await staff.PutAsJsonAsync($"api/v1/consent/individuals/{individual}/contact",
            new { unitId = Vardcentral, contact = new { name, phone = "070-765 43 21" } }, Ct)).JsonAsync(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync("api/v1/consent/individuals/search", new { identifier = personnummer, unitId = Vardcentral }, Ct))
            .JsonAsync(HttpStatusCode.OK);
        await (await staff.PostAsJsonAsync("api/v1/consent/consents", new
        {
            individualId = individual,
            basis = "Individual",
            declarations = new[] { new { decision = "Consents", form = "Oral" } },
            unitIds = new[] { Vardcentral, Socialtjanst },
            copyToIndividual = true,
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(6),
            recordedByUnitId = Vardcentral,
        }, Ct)).JsonAsync(HttpStatusCode.Created);
        await host.CheckAsync(individual, Socialtjanst);
        // Refused: the number in the wrong place and with a wrong check digit, and the name with an unknown field.
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("api/v1/consent/individuals",
            new { identifier = TestIdentityNumbers.TwelveWithWrongCheckDigit($"{born:yyyyMMdd}{Random.Shared.Next(100, 999)}"), unitId = Vardcentral }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.PostAsJsonAsync("api/v1/consent/individuals",
            new { identifier = personnummer, unitId = Vardcentral, name }, Ct)).StatusCode);

        // MassTransit's publish spans end after the outbox has published.
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var recorded = spans.ToArray();
        Assert.Contains(recorded, s => s.Contains("api/v1/consent/individuals", StringComparison.Ordinal)); // HTTP server spans were seen
        Assert.Contains(recorded, s => s.StartsWith("Npgsql", StringComparison.Ordinal)); // and database spans
        var digits = personnummer.Replace("-", "", StringComparison.Ordinal);
        string[] forbidden = [name, $"Spårlös{marker}", personnummer, digits, digits[2..]];
        var leaks = recorded.Where(s => forbidden.Any(f => s.Contains(f, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} span(s) with personal data:\n" + string.Join("\n", leaks.Take(10)));
    }
}
