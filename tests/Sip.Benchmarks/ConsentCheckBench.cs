using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Sip.Contracts.Grpc.Consent.V1;

/// <summary>
/// (c) The consent check as the case service calls it before every read of a case: CheckConsent for a person
/// with a consent in force, against grpc.health.v1 Check (no token, no query) on the same HTTP/2 channel.
/// </summary>
internal static class ConsentCheckBench
{
    private const int Concurrency = 8;

    // Usage: Sip.Benchmarks consent-check <gateway-url> <consent-grpc-url> <token> <tenant> <unit-id> [seconds]
    public static async Task RunAsync(string[] args)
    {
        var (gateway, grpcUrl, token, tenant, unit) = (args[0], args[1], args[2], args[3], Guid.Parse(args[4]));
        var seconds = args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var individual = await PersonWithConsentAsync(gateway, token, unit);

        using var channel = GrpcChannel.ForAddress(grpcUrl);
        var health = new Health.HealthClient(channel);
        var checks = new ConsentChecks.ConsentChecksClient(channel);
        var auth = new Metadata { { "Authorization", "Bearer " + token } };
        var request = new CheckConsentRequest { TenantId = tenant, IndividualId = individual.ToString(), UnitId = unit.ToString() };
        var first = await checks.CheckConsentAsync(request, auth);
        if (!first.Allowed)
        {
            throw new InvalidOperationException($"The benchmark's consent does not allow the check: {first.Reason}");
        }

        // The health service answers from published results: the first is published a few seconds after start.
        for (var tries = 0; ; tries++)
        {
            try
            {
                await health.CheckAsync(new HealthCheckRequest());
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && tries < 60)
            {
                await Task.Delay(1000);
            }
        }
        Console.WriteLine($"# sip bench (c): consent check over gRPC, {Concurrency} concurrent callers on one channel, {seconds} s each after {seconds} s warm-up");
        async Task Health() => await health.CheckAsync(new HealthCheckRequest());
        async Task Check() => await checks.CheckConsentAsync(request, auth);
        await MeasureAsync(Health, seconds);
        var baseline = await MeasureAsync(Health, seconds);
        await MeasureAsync(Check, seconds);
        var check = await MeasureAsync(Check, seconds);
        Console.WriteLine($"baseline  grpc.health Check:            {baseline.Rate,7:F0} calls/s  p50 {baseline.P50,6:F2} ms  p99 {baseline.P99,6:F2} ms");
        Console.WriteLine($"check     CheckConsent (consent given): {check.Rate,7:F0} calls/s  p50 {check.P50,6:F2} ms  p99 {check.P99,6:F2} ms");
        Console.WriteLine($"ratio     CheckConsent / health: calls/s {check.Rate / baseline.Rate:F2}, p50 {check.P50 / baseline.P50:F2}×, p99 {check.P99 / baseline.P99:F2}×");
    }

    private static async Task<(double Rate, double P50, double P99)> MeasureAsync(Func<Task> call, int seconds)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var latencies = new List<double>[Concurrency];
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async i =>
        {
            var mine = latencies[i] = new List<double>(100_000);
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all.Length / (double)seconds, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
    }

    /// <summary>A person (a national reserve number of its own each run) with a consent in force for <paramref name="unit"/>, through the gateway.</summary>
    private static async Task<Guid> PersonWithConsentAsync(string gateway, string token, Guid unit)
    {
        using var http = new HttpClient { BaseAddress = new Uri(gateway) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        const string letters = "ABCDEFGHJKLMNPRSTUXYZ";
        var reserve = $"19700101{letters[Random.Shared.Next(letters.Length)]}{letters[Random.Shared.Next(letters.Length)]}{Random.Shared.Next(10, 99)}";
        var registered = await http.PostAsJsonAsync("api/v1/consent/individuals", new { identifier = reserve, identifierKind = "NationalReserveNumber", unitId = unit });
        var individual = (await registered.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("individualId").GetGuid();
        var consents = await http.GetFromJsonAsync<JsonElement[]>($"api/v1/consent/individuals/{individual}/consents?unitId={unit}");
        if (!consents!.Any(c => c.GetProperty("status").GetString() == "Given"))
        {
            (await http.PostAsJsonAsync("api/v1/consent/consents", new
            {
                individualId = individual,
                basis = "Individual",
                declarations = new[] { new { decision = "Consents", form = "Written" } },
                unitIds = new[] { unit },
                validUntil = DateOnly.FromDateTime(DateTime.UtcNow.AddMonths(1)),
                recordedByUnitId = unit,
            })).EnsureSuccessStatusCode();
        }
        return individual;
    }
}
