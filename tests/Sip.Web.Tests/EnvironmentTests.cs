using System.Net;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Tests;

/// <summary>The demo users' sign-in exists in Development only, as development tokens do.</summary>
public sealed class EnvironmentTests(WebAppFixture app)
{
    private Dictionary<string, string> Production(bool withOidc) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        // Everything the development sign-in would need, to show that the environment alone refuses it.
        ["Auth__DevSigningKeyFile"] = app.KeyFile,
        ["DevSignIn__DemoTenantFile"] = Path.Combine(AppContext.BaseDirectory, "demo-tenant.json"),
        ["Services__Gateway"] = app.Gateway.BaseUrl,
        ["Oidc__Authority"] = withOidc ? "https://idp.example.invalid/oidc" : "",
        ["Oidc__ClientId"] = withOidc ? "sip-web" : "",
    };

    [Fact]
    public async Task The_development_sign_in_answers_404_outside_Development()
    {
        await using var production = await WebAppProcess.StartAsync(Production(withOidc: true));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(production.BaseUrl) };

        var ct = TestContext.Current.CancellationToken;
        var page = await http.GetAsync("/inloggning/utveckling?returnUrl=%2F", ct);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("Logga in som", await page.Content.ReadAsStringAsync(ct));

        // Not by posting to it either: no token is minted and no session cookie set.
        var post = await http.PostAsync("/inloggning/utveckling", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "dev-sign-in",
            ["User"] = "anna",
        }), ct);
        Assert.NotEqual(HttpStatusCode.Redirect, post.StatusCode);
        Assert.False(post.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("sip-session", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Outside_Development_the_app_does_not_start_without_an_identity_provider()
    {
        await using var production = WebAppProcess.Launch(Production(withOidc: false));
        Assert.NotEqual(0, await production.ExitCodeAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Oidc:Authority", production.Output);
    }

    [Fact]
    public async Task Development_tokens_minted_for_the_demo_users_are_what_the_services_accept()
    {
        // The stand-in checks tokens as the services do; a token from the runner's own tool passes the same check.
        var token = DevelopmentTokens.Mint(app.KeyFile, new TokenRequest("s", "n", "demo-lan", [Demo.Norrby], ["staff"]));
        Assert.NotNull(await app.Gateway.ValidateAsync("Bearer " + token));
        Assert.Null(await app.Gateway.ValidateAsync("Bearer " + token[..^4] + "AAAA"));
    }
}
