using System.Net.Http.Json;
using System.Net;
using System.Text.RegularExpressions;
using MassTransit;
using Sip.Contracts.Case;
using Sip.Contracts.Statistics;
using Sip.Testing;

namespace Sip.EndToEnd.Tests;

/// <summary>What happens when messages are redelivered, consumers stop and the broker goes away.</summary>
public sealed partial class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_same_event_delivered_twice_is_counted_once()
    {
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        var duplicatesBefore = await StatisticsDuplicatesAsync();
        var now = DateTimeOffset.UtcNow;
        var message = new InitiativeSentFact(Guid.NewGuid(), now, Platform.Tenant.Tenant, new StatisticsDimensions(municipality[..2], municipality,
            ThinSlice.SocialtjanstenMolndal, "Municipality", StatisticsDimensions.Unknown, StatisticsDimensions.Unknown, StatisticsDimensions.Unknown, false), now);
        await PublishAsync(message, message);

        await ThinSlice.CountReachesAsync(municipality, 1, TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => await StatisticsDuplicatesAsync() > duplicatesBefore, TimeSpan.FromSeconds(30),
            "the statistics inbox recognised the second delivery");
        Assert.Equal(1, await ThinSlice.InitiativesCountedAsync(municipality));
    }

    [Fact]
    public async Task A_unit_unknown_to_notification_does_not_keep_the_news_from_the_others()
    {
        // A well-formed reference no real case has (the year 1999): e-mails print only references of that form.
        var reference = $"SIP-1999-{Random.Shared.Next(100000000, 999999999)}";
        var unknownUnit = Guid.NewGuid();
        await PublishAsync(new CaseClosed(Guid.NewGuid(), DateTimeOffset.UtcNow, Platform.Tenant.Tenant, Guid.NewGuid(), reference, "1481", false,
            [ThinSlice.SocialtjanstenMolndal, unknownUnit]));

        // After its retries (~21 s) notification tells the unit it knows and records why the other was not told.
        await Eventually.HoldsAsync(async () => (await Platform.MailsAsync()).Any(m => m.Subject.Contains(reference, StringComparison.Ordinal)
            && m.To.Any(t => t.Address == ThinSlice.SocialtjanstenMolndalMailbox)), TimeSpan.FromSeconds(60), "the known unit is told");
        Assert.Equal(1, await Platform.CountAsync(
            "SELECT count(*) FROM notification.deliveries WHERE case_reference = @p0 AND unit_id = @p1 AND status = 'Skipped' AND last_error LIKE '%enhetskatalog%'", reference, unknownUnit));
    }

    [Fact]
    public async Task A_consumer_stopped_mid_flow_processes_what_was_published_meanwhile()
    {
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        var log = Path.Combine(Platform.Root, ".sip", "logs", "statistics.log");
        var before = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
        await Platform.SipAsync("stop", "statistics");
        try
        {
            var (_, reference) = await ThinSlice.OpenCaseWithInitiativeAsync(municipality);
            await ThinSlice.MailAsync(reference, TimeSpan.FromSeconds(60)); // the other consumers went on
        }
        finally
        {
            await Platform.SipAsync("start", "statistics");
        }

        await ThinSlice.CountReachesAsync(municipality, 1, TimeSpan.FromSeconds(60));

        // The restart appended to the service's log: what it logged before is still there for whoever reads the incident.
        var after = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
        Assert.StartsWith(before, after, StringComparison.Ordinal);
        Assert.Contains("----- statistics started", after[before.Length..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task While_the_broker_is_down_events_wait_in_the_outbox_and_are_delivered_after_it_returns()
    {
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        string reference;
        await Platform.SipAsync("stop", "rabbitmq");
        try
        {
            (_, reference) = await ThinSlice.OpenCaseWithInitiativeAsync(municipality);
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            Assert.Equal(2, await Platform.CountAsync(
                "SELECT count(*) FROM cases.outbox_messages WHERE body->>'municipalityCode' = @p0 AND sent_at IS NULL", municipality));
        }
        finally
        {
            await Platform.SipAsync("start", "rabbitmq");
        }

        await ThinSlice.CountReachesAsync(municipality, 1, TimeSpan.FromSeconds(120));
        await ThinSlice.MailAsync(reference, TimeSpan.FromSeconds(60));
        Assert.Equal(0, await Platform.CountAsync(
            "SELECT count(*) FROM cases.outbox_messages WHERE body->>'municipalityCode' = @p0 AND sent_at IS NULL", municipality));
    }

    [Fact]
    public async Task While_the_database_is_down_the_api_answers_503_with_a_swedish_problem_and_works_again_after_it_returns()
    {
        var individual = await ThinSlice.RecordConsentAsync(Platform.NewPersonnummer(), ThinSlice.VardcentralenNorrby, ThinSlice.SocialtjanstenMolndal);
        var municipality = await Platform.FreshMunicipalityCodeAsync();
        await Platform.SipAsync("stop", "postgres");
        try
        {
            using var anna = Platform.As("anna");
            var inbox = await anna.GetAsync($"api/v1/cases/inbox?unitId={ThinSlice.VardcentralenNorrby}", Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, inbox.StatusCode);
            Assert.NotNull(inbox.Headers.RetryAfter);
            var problem = await inbox.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
            Assert.Equal("urn:sip:problem:database-unavailable", problem.GetProperty("type").GetString());
            Assert.Equal("Tjänsten är tillfälligt otillgänglig", problem.GetProperty("title").GetString());
        }
        finally
        {
            await Platform.SipAsync("start", "postgres");
            // This process's own pooled connections died with the server; the next test must not get one.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
        // Services reconnect on their own: no restart of theirs is needed.
        await Eventually.HoldsAsync(async () =>
            (await ThinSlice.OpenCaseAsync(individual, municipality, ThinSlice.SocialtjanstenMolndal)).StatusCode == HttpStatusCode.Created,
            TimeSpan.FromSeconds(60), "a case can be opened once the database is back");
    }

    /// <summary>Publishes straight to the platform's broker, as a service would, each with its event id as message id.</summary>
    private static async Task PublishAsync<T>(params T[] events) where T : class, Sip.Contracts.IIntegrationEvent
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host("127.0.0.1", 5673, "/", h =>
        {
            h.Username("guest");
            h.Password("guest");
        }));
        await bus.StartAsync(Ct);
        try
        {
            foreach (var e in events)
            {
                await bus.Publish(e, ctx => ctx.MessageId = e.EventId, Ct);
            }
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<double> StatisticsDuplicatesAsync()
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync("http://127.0.0.1:5141/metrics", Ct);
        return DuplicatesLine().Matches(metrics).Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^sip_inbox_duplicates_total\{[^}]*consumer=""InitiativeSentFactConsumer""[^}]*\} ([0-9.e+]+)", RegexOptions.Multiline)]
    private static partial Regex DuplicatesLine();
}
