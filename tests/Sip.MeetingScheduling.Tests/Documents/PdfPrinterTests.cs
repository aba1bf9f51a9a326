using Sip.Documents;
using Sip.MeetingScheduling.Documents;
using UglyToad.PdfPig;

namespace Sip.MeetingScheduling.Tests.Documents;

/// <summary>
/// Prints with the real Debian chromium (apt-get install chromium fonts-dejavu-core). Without it these tests fail with
/// the printer's own message naming the missing browser; they never pass vacuously.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PdfPrinterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("sip-pdf-tests-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task The_letter_prints_to_a_PDF_with_the_recipients_name_and_the_case_reference()
    {
        var printer = new PdfPrinter(new PdfPrinterOptions { WorkDirectory = _work });

        var pdf = await printer.PrintAsync(InvitationLetter.Html(DocumentSamples.Letter()), TestContext.Current.CancellationToken);

        using var document = PdfDocument.Open(pdf);
        Assert.InRange(document.NumberOfPages, 1, 2);
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Åsa Öberg", text);
        Assert.Contains("SIP-2026-000123", text);
        Assert.Contains("Inbjudan till SIP-möte", text);
        Assert.Contains("Sida 1 av", text);
        // A4 is 595 × 842 points.
        var page = document.GetPage(1);
        Assert.Equal(595, page.Width, tolerance: 1);
        Assert.Equal(842, page.Height, tolerance: 1);
        // The page held names and addresses: nothing of it stays on disk.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_work));
    }

    [Fact]
    public async Task A_missing_browser_is_a_clear_error_naming_where_it_was_looked_for()
    {
        var printer = new PdfPrinter(new PdfPrinterOptions { ChromiumPath = "/nowhere/chromium", WorkDirectory = _work });

        var error = await Assert.ThrowsAsync<PdfPrintException>(() => printer.PrintAsync("<p>x</p>", TestContext.Current.CancellationToken));

        Assert.Contains("/nowhere/chromium", error.Message);
        Assert.Contains("chromium", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_that_hangs_is_killed_at_the_timeout_and_its_files_are_removed()
    {
        // A stand-in browser that writes its process id and then never finishes.
        var pidFile = Path.Combine(_work, "hanging.pid");
        var browser = Script("hanging-browser", $"echo $$ > '{pidFile}'\nexec sleep 300\n");
        var scratch = Directory.CreateDirectory(Path.Combine(_work, "scratch")).FullName;
        var printer = new PdfPrinter(new PdfPrinterOptions { ChromiumPath = browser, Timeout = TimeSpan.FromSeconds(2), WorkDirectory = scratch });

        var error = await Assert.ThrowsAsync<PdfPrintException>(() => printer.PrintAsync("<p>x</p>", TestContext.Current.CancellationToken));

        Assert.Contains("did not print within 2 s", error.Message);
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile, TestContext.Current.CancellationToken)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsRunning(pid), "the hanging browser was left running");
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    [Fact]
    public async Task A_browser_that_fails_is_reported_with_its_exit_code()
    {
        var browser = Script("failing-browser", "echo 'no display' >&2\nexit 3\n");
        var scratch = Directory.CreateDirectory(Path.Combine(_work, "scratch")).FullName;
        var printer = new PdfPrinter(new PdfPrinterOptions { ChromiumPath = browser, WorkDirectory = scratch });

        var error = await Assert.ThrowsAsync<PdfPrintException>(() => printer.PrintAsync("<p>x</p>", TestContext.Current.CancellationToken));

        Assert.Contains("code 3", error.Message);
        Assert.Contains("no display", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(scratch));
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_work, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static bool IsRunning(int pid)
    {
        // A killed child not yet reaped by its parent is a zombie: gone for every purpose here.
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(' ')[2] != "Z";
    }
}
