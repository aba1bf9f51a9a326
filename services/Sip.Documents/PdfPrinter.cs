using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Sip.Documents;

/// <summary>Configuration section <c>Pdf</c>: <c>Pdf:ChromiumPath</c>, <c>Pdf:TimeoutSeconds</c>.</summary>
public sealed record PdfPrinterOptions
{
    /// <summary>Debian's chromium package; <c>CHROMIUM_PATH</c> in the environment overrides the default.</summary>
    public string ChromiumPath { get; init; } = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each print is a whole browser (~150 MB, most of a core for a second or two).</summary>
    public int MaxConcurrentPrints { get; init; } = 2;

    /// <summary>Where each print's scratch folder is made; the system's temp folder when null.</summary>
    public string? WorkDirectory { get; init; }

    public static PdfPrinterOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Pdf");
        var options = new PdfPrinterOptions();
        return options with
        {
            ChromiumPath = section["ChromiumPath"] is { Length: > 0 } path ? path : options.ChromiumPath,
            Timeout = int.TryParse(section["TimeoutSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : options.Timeout,
            WorkDirectory = section["WorkDirectory"] is { Length: > 0 } work ? work : null,
        };
    }
}

/// <summary>A print of an HTML page that the platform could not make (no browser, a crash, a timeout).</summary>
public sealed class PdfPrintException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Prints a self-contained HTML page to PDF with headless Chromium (<c>--print-to-pdf</c>): the page's own print CSS
/// decides the paper, so the browser view and the PDF are one template. The page is written to a private scratch folder
/// that is deleted after each print, since it holds names and addresses.
/// </summary>
public sealed class PdfPrinter
{
    private readonly PdfPrinterOptions _options;
    private readonly SemaphoreSlim _slots;

    public PdfPrinter(PdfPrinterOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentPrints, 1);
        _options = options;
        _slots = new SemaphoreSlim(options.MaxConcurrentPrints, options.MaxConcurrentPrints);
    }

    public PdfPrinter(IConfiguration configuration) : this(PdfPrinterOptions.From(configuration))
    {
    }

    public PdfPrinterOptions Options => _options;

    public async Task<byte[]> PrintAsync(string html, CancellationToken ct)
    {
        if (!File.Exists(_options.ChromiumPath))
        {
            throw new PdfPrintException(
                $"No Chromium at '{_options.ChromiumPath}' to print PDFs with. Install Debian's chromium package " +
                "(apt-get install --no-install-recommends chromium fonts-dejavu-core) or set Pdf:ChromiumPath / CHROMIUM_PATH.");
        }
        await _slots.WaitAsync(ct);
        try
        {
            return await PrintInScratchFolderAsync(html, ct);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<byte[]> PrintInScratchFolderAsync(string html, CancellationToken ct)
    {
        var root = _options.WorkDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(root);
        var scratch = Path.Combine(root, "sip-pdf-" + Guid.NewGuid().ToString("N"));
        // Owner-only: the page holds personal data for as long as the print takes.
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(scratch);
        }
        else
        {
            Directory.CreateDirectory(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        try
        {
            var page = Path.Combine(scratch, "page.html");
            var pdf = Path.Combine(scratch, "page.pdf");
            var profile = Path.Combine(scratch, "profile");
            await File.WriteAllTextAsync(page, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);
            await RunChromiumAsync(scratch, profile, page, pdf, ct);
            var bytes = File.Exists(pdf) ? await File.ReadAllBytesAsync(pdf, ct) : [];
            if (bytes.Length < 5 || !bytes.AsSpan(0, 5).SequenceEqual("%PDF-"u8))
            {
                throw new PdfPrintException("Chromium exited without writing a PDF.");
            }
            return bytes;
        }
        finally
        {
            await TryDeleteAsync(scratch);
        }
    }

    private async Task RunChromiumAsync(string scratch, string profile, string page, string pdf, CancellationToken ct)
    {
        var start = new ProcessStartInfo(_options.ChromiumPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // A container's HOME may be read-only or shared; Chromium writes caches and crash dumps under these.
            Environment = { ["HOME"] = scratch, ["XDG_CONFIG_HOME"] = scratch, ["XDG_CACHE_HOME"] = scratch },
        };
        foreach (var argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
            "--disable-crash-reporter", $"--user-data-dir={profile}", "--no-pdf-header-footer", $"--print-to-pdf={pdf}",
            new Uri(page).AbsoluteUri])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                // Only the tail is ever shown; Chromium is chatty about D-Bus and GPU on a server.
                if (e.Data is not null && errors.Length < 16_000)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += (_, _) => { };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new PdfPrintException($"Could not start Chromium at '{_options.ChromiumPath}': {e.Message}", e);
        }
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process);
            ct.ThrowIfCancellationRequested();
            throw new PdfPrintException($"Chromium did not print within {_options.Timeout.TotalSeconds:0.#} s and was stopped.");
        }
        if (process.ExitCode != 0)
        {
            string tail;
            lock (errors)
            {
                tail = errors.ToString().Trim();
            }
            tail = tail.Length > 1_000 ? tail[^1_000..] : tail;
            throw new PdfPrintException($"Chromium exited with code {process.ExitCode} while printing a PDF. {tail}");
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            // Debian's /usr/bin/chromium is a shell script: the browser and its helpers are its children.
            process.Kill(entireProcessTree: true);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(grace.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Exited meanwhile, or would not die in time: the scratch folder is still removed below as far as it can be.
        }
    }

    private static async Task TryDeleteAsync(string scratch)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(scratch))
                {
                    Directory.Delete(scratch, recursive: true);
                }
                return;
            }
            catch (IOException) when (attempt < 2)
            {
                // A helper process that outlived the browser may still be writing to its profile.
                await Task.Delay(200, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }
        }
    }
}
