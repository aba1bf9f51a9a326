using Sip.ServiceDefaults.Auth;

namespace Sip.Gateway.Tests;

public sealed class ProductionStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task In_production_a_development_key_alone_stops_the_gateway_from_starting()
    {
        var directory = Path.Combine(Path.GetTempPath(), "sip-gateway-prod-" + Guid.NewGuid().ToString("N"));
        var keyFile = Path.Combine(directory, "dev-signing-key.pem");
        DevelopmentTokens.CreateKeyFileIfMissing(keyFile);
        var gateway = new GatewayFactory("Production", keyFile, "http://127.0.0.1:9");
        try
        {
            HttpClient? client = null;
            var failure = Record.Exception(() => client = gateway.CreateClient());
            if (client is not null)
            {
                // It started: say what a caller (or the liveness probe) would see instead.
                using var response = await client.GetAsync("/health/live", Ct);
                Assert.Fail($"The gateway started in Production with only Auth:DevSigningKeyFile; GET /health/live then answered "
                            + $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            }

            var cause = FindAuthorityError(failure);
            Assert.NotNull(cause);
            Assert.Contains("development tokens are not accepted", cause.Message, StringComparison.Ordinal);
        }
        finally
        {
            try
            {
                await gateway.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or AggregateException or OperationCanceledException)
            {
                // A host that never started may fail to stop; the assertions above are what matter.
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private static InvalidOperationException? FindAuthorityError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is InvalidOperationException invalid && invalid.Message.Contains("Auth:Authority", StringComparison.Ordinal))
            {
                return invalid;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(FindAuthorityError).FirstOrDefault(x => x is not null) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}
