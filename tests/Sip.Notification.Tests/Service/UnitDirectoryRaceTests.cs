using Sip.Contracts.Directory;
using Sip.Testing;

namespace Sip.Notification.Tests.Service;

/// <summary>
/// The broker hands a queue's messages to several consumers at once, so changes of one unit are handled concurrently and in
/// any order. Whatever the order, the unit's mailbox must end as the newest change left it (issue 14).
/// </summary>
[Collection(nameof(UnitDirectoryRaceTests))]
public sealed class UnitDirectoryRaceTests(NotificationServiceHost host) : IClassFixture<NotificationServiceHost>
{
    private const int Units = 20;
    private const int Changes = 6;

    [Fact]
    public async Task Concurrent_changes_of_a_unit_leave_the_newest_mailbox_whatever_order_they_are_handled_in()
    {
        var units = Enumerable.Range(0, Units).Select(_ => Guid.NewGuid()).ToArray();
        var start = DateTimeOffset.UtcNow;
        var known = units.Select(u => Change(u, 0, start)).ToArray();
        await Task.WhenAll(known.Select(e => host.PublishAsync(e, e.EventId)));
        await ProcessedAsync(known);

        // Every unit's changes at once, newest first: handled concurrently, an older one may well be written last.
        var changes = units.SelectMany(u => Enumerable.Range(1, Changes).Reverse().Select(v => Change(u, v, start.AddSeconds(v)))).ToArray();
        await Task.WhenAll(changes.Select(e => host.PublishAsync(e, e.EventId)));
        await ProcessedAsync(changes);

        var stale = new List<string>();
        foreach (var unit in units)
        {
            var mailbox = await host.Postgres.ScalarAsync<string>($"SELECT email FROM notification.unit_subscriptions WHERE unit_id = '{unit}'");
            if (mailbox != Mailbox(unit, Changes))
            {
                stale.Add($"{unit}: {mailbox}");
            }
        }
        Assert.True(stale.Count == 0, $"An older change overwrote the newest for {stale.Count} of {Units} units: {string.Join(", ", stale)}");
    }

    /// <summary>Version as the directory numbers them: 1 for the unit's first state.</summary>
    private static UnitUpdated Change(Guid unit, int version, DateTimeOffset at) =>
        new(Guid.CreateVersion7(), at, NotificationServiceHost.Tenant, unit, $"Enhet {version}", "Region", null, Mailbox(unit, version), version + 1);

    private static string Mailbox(Guid unit, int version) => $"v{version}-{unit:N}@example.se";

    private async Task ProcessedAsync(IReadOnlyCollection<UnitUpdated> events)
    {
        var ids = string.Join(",", events.Select(e => $"'{e.EventId}'"));
        await Eventually.HoldsAsync(async () =>
                await host.Postgres.ScalarAsync<long>($"SELECT count(*) FROM notification.inbox_messages WHERE message_id IN ({ids})") == events.Count,
            TimeSpan.FromSeconds(90), $"all {events.Count} unit changes are processed");
    }
}

/// <summary>
/// Alone, after the other classes: a second notification service in the process at the same time shares its meters
/// ("Sip.Messaging", same labels) with the other one's /metrics, which the other tests read their inbox counts from.
/// </summary>
[CollectionDefinition(nameof(UnitDirectoryRaceTests), DisableParallelization = true)]
public sealed class UnitDirectoryRaceCollection;
