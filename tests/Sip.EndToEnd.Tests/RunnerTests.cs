using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sip.EndToEnd.Tests;

/// <summary>
/// The runner from a clone in a directory nobody else may enter: root's home is mode 700, the first place a root user
/// on a fresh machine clones into. PostgreSQL runs as the postgres user, so its files cannot live in the clone.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunnerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_runner_starts_and_stops_its_database_from_a_clone_in_a_directory_only_root_may_enter()
    {
        Assert.True(Environment.UserName == "root", "./sip runs PostgreSQL with runuser, as CI and a newcomer's root shell do: run this test as root.");
        var home = Directory.CreateTempSubdirectory("sip-private-home-");
        File.SetUnixFileMode(home.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var clone = Directory.CreateDirectory(Path.Combine(home.FullName, "sip-platform")).FullName;
        var sip = Path.Combine(clone, "sip");
        File.Copy(Path.Combine(Platform.Root, "sip"), sip);
        var port = FreePort();
        string? databaseFiles = null;
        try
        {
            var start = await RunAsync(sip, port, "start", "postgres");
            Assert.True(start.ExitCode == 0, $"./sip start postgres from a mode-700 directory failed:\n{start.Output}");

            var status = await RunAsync(sip, port, "status");
            databaseFiles = status.Output.Split('\n').Single(l => l.StartsWith("database files", StringComparison.Ordinal))["database files".Length..].Trim();
            Assert.False(databaseFiles.StartsWith(home.FullName, StringComparison.Ordinal), $"the database files must live outside the private directory, not in {databaseFiles}");
            Assert.Contains("postgres             running", status.Output, StringComparison.Ordinal);

            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Database=sip;Username=postgres;Password=sip-dev-admin");
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("sip", await command.ExecuteScalarAsync(Ct));
        }
        finally
        {
            var stop = await RunAsync(sip, port, "stop", "postgres");
            Assert.True(stop.ExitCode == 0, stop.Output);
            if (databaseFiles is not null && Directory.Exists(databaseFiles))
            {
                Directory.Delete(databaseFiles, recursive: true);
            }
            home.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string sip, int port, params string[] args)
    {
        var info = new ProcessStartInfo(sip) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["SIP_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment.Remove("SIP_PG_DIR");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
