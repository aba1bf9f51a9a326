using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// The README's curl walkthrough is a script (docs/try-with-curl.sh) that stops at the first answer it does not expect;
/// running it here against the platform keeps it true to the API (issue 13: its consent body had drifted and was refused).
/// </summary>
public sealed partial class WalkthroughTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_readmes_curl_walkthrough_runs_through_against_the_platform()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add(Path.Combine(Platform.Root, "docs", "try-with-curl.sh"));
        info.Environment["PERSONNUMMER"] = Platform.NewPersonnummer();
        info.Environment["SIP_GATEWAY_URL"] = Platform.Gateway.ToString().TrimEnd('/');
        info.Environment["SIP_MAIL_API"] = Platform.MailApi.ToString().TrimEnd('/');
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        var output = await stdout + await stderr;

        Assert.True(process.ExitCode == 0, $"the walkthrough stopped:\n{output}");
        var reference = Reference().Match(output);
        Assert.True(reference.Success, output);
        Assert.Contains($"\"subject\":\"Nytt SIP-initiativ att besvara – {reference.Groups[1].Value}\"", output, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"urn:sip:problem:consent-missing\"", output, StringComparison.Ordinal);
        Assert.Contains("kl. 10.00–11.30", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Done: case (SIP-\d{4}-\d+)\.")]
    private static partial Regex Reference();
}
