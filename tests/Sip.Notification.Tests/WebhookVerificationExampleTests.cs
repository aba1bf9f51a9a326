using System.Diagnostics;
using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

/// <summary>
/// The verification examples in docs/integration.md, run as an integrator would run them against a delivery signed the
/// way the service signs it: a genuine one passes; a changed body, another id or a stale timestamp is refused.
/// </summary>
public sealed class WebhookVerificationExampleTests : IDisposable
{
    private readonly string _body = Path.GetTempFileName();
    private readonly string _secret = WebhookSignature.NewSecret();
    private readonly string _id = Guid.NewGuid().ToString();
    private readonly long _timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public WebhookVerificationExampleTests()
    {
        var link = new Uri($"https://sip.example.se/cases/{Guid.NewGuid()}/plans/2");
        var notice = new Notice(EventKinds.PlanLocked, Guid.NewGuid(), "SIP-2026-000123", link, null, new Message("", ""), "");
        File.WriteAllText(_body, CloudEvents.Structured(Guid.Parse(_id), "urn:sip-platform:notification", "tenant", Guid.NewGuid(), EventKinds.PlanLocked, notice,
            DateTimeOffset.UtcNow));
    }

    public static TheoryData<string, string> Examples => new()
    {
        { "python3", "verify_webhook.py check" },
        { "bash", "verify_webhook.sh" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task A_genuine_delivery_passes(string runner, string script)
    {
        var (code, output) = await RunAsync(runner, script, _id, _timestamp, Sign(_id, _timestamp));

        Assert.Equal(0, code);
        Assert.StartsWith("OK", output, StringComparison.Ordinal);
        if (runner == "python3")
        {
            Assert.Equal("OK se.sip.notification.plan-locked SIP-2026-000123", output.Trim());
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task A_changed_body_another_id_or_a_stale_timestamp_is_refused(string runner, string script)
    {
        var signature = Sign(_id, _timestamp);
        var stale = _timestamp - 600;

        Assert.Equal(1, (await RunAsync(runner, script, Guid.NewGuid().ToString(), _timestamp, signature)).Code);
        Assert.Equal(1, (await RunAsync(runner, script, _id, stale, Sign(_id, stale))).Code);
        File.AppendAllText(_body, " ");
        Assert.Equal(1, (await RunAsync(runner, script, _id, _timestamp, signature)).Code);
    }

    private string Sign(string id, long timestamp) => WebhookSignature.Sign(_secret, id, timestamp, File.ReadAllText(_body));

    private async Task<(int Code, string Output)> RunAsync(string runner, string script, string id, long timestamp, string signature)
    {
        var parts = script.Split(' ');
        var start = new ProcessStartInfo(runner) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(ExamplesDirectory(), parts[0]));
        foreach (var argument in parts.Skip(1).Concat([id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature, _body]))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["SIP_WEBHOOK_SECRET"] = _secret;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private static string ExamplesDirectory()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root!.FullName, "sip-platform.sln")))
        {
            root = root.Parent;
        }
        return Path.Combine(root.FullName, "docs", "examples");
    }

    public void Dispose() => File.Delete(_body);
}
