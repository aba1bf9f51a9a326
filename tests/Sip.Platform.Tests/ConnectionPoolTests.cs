using Npgsql;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Platform.Tests;

/// <summary>
/// A service's data source never asks PostgreSQL for more connections than the server has slots: a burst of work larger
/// than its pool waits for a pooled connection. (CI: statistics' consumers, on a burst of facts, were refused with
/// "53300: remaining connection slots are reserved" by a stock server's 100.)
/// </summary>
public sealed class ConnectionPoolTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_burst_of_more_work_than_the_server_has_connection_slots_waits_for_the_pool_and_every_piece_succeeds()
    {
        var cs = await postgres.CreateServiceSchemaAsync("pooltest");
        var serverSlots = await postgres.ScalarAsync<int>("SELECT current_setting('max_connections')::int");
        var burst = serverSlots + 50;

        var (failures, peak) = await BurstAsync(cs, "pool-default", burst);

        Assert.Empty(failures);
        Assert.InRange(peak, 1, ServiceDatabaseRegistration.DefaultMaxPoolSize);
    }

    [Theory]
    [InlineData("Maximum Pool Size")]
    [InlineData("MaxPoolSize")]
    public async Task A_pool_size_named_in_the_connection_string_is_kept(string keyword)
    {
        var cs = $"{await postgres.CreateServiceSchemaAsync("pooltest")};{keyword}=4";

        var (failures, peak) = await BurstAsync(cs, $"pool-{keyword.Replace(" ", "", StringComparison.Ordinal)}", 40);

        Assert.Empty(failures);
        Assert.InRange(peak, 1, 4);
    }

    /// <summary>Runs <paramref name="count"/> short queries at once through the service's data source; returns their failures and the most connections the server saw from it.</summary>
    private async Task<(List<Exception> Failures, int Peak)> BurstAsync(string connectionString, string applicationName, int count)
    {
        await using var dataSource = ServiceDatabaseRegistration.CreateDataSource(connectionString, applicationName);
        var failures = new List<Exception>();
        var peak = 0;
        using var done = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, await postgres.ScalarAsync<int>($"SELECT count(*)::int FROM pg_stat_activity WHERE application_name = '{applicationName}'"));
                await Task.Delay(20, CancellationToken.None);
            }
        }, Ct);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(Ct);
                await using var command = new NpgsqlCommand("SELECT pg_sleep(0.2)", connection);
                await command.ExecuteNonQueryAsync(Ct);
            }
            catch (Exception e)
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
        }));
        await done.CancelAsync();
        await watch;
        return (failures, peak);
    }
}
