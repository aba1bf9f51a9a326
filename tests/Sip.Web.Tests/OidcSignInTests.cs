using Microsoft.Playwright;
using Sip.ServiceDefaults.Auth;

namespace Sip.Web.Tests;

/// <summary>The production sign-in: OpenID Connect, authorization code with PKCE, tokens kept on the server.</summary>
public sealed class OidcSignInTests(WebAppFixture app) : AppPageTest(app)
{
    private StandInIdentityProvider _idp = null!;
    private WebAppProcess _web = null!;

    public override BrowserNewContextOptions ContextOptions() => new() { Locale = "sv-SE", TimezoneId = "Europe/Stockholm" };

    public override async ValueTask InitializeAsync()
    {
        _idp = await StandInIdentityProvider.StartAsync(App.KeyFile);
        _web = await WebAppProcess.StartAsync(new Dictionary<string, string>
        {
            // Development only for plain http to the stand-in provider; the OIDC path is the production one.
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Oidc__Authority"] = _idp.Authority,
            ["Oidc__ClientId"] = StandInIdentityProvider.ClientId,
            ["Auth__DevSigningKeyFile"] = App.KeyFile,
            ["DevSignIn__DemoTenantFile"] = System.IO.Path.Combine(AppContext.BaseDirectory, "demo-tenant.json"),
            ["Services__Gateway"] = Gateway.BaseUrl,
        });
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _web.DisposeAsync();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task A_meeting_link_signs_in_with_code_and_PKCE_and_calls_the_services_with_the_providers_access_token()
    {
        await Page.GotoAsync($"{_web.BaseUrl}/moten/{Demo.MeetingConvenedByNorrby}");

        await Expect(Page.Locator("main h1")).ToHaveTextAsync("SIP-möte (planering)");
        Assert.Equal($"/moten/{Demo.MeetingConvenedByNorrby}", Path(Page.Url));
        await Expect(Page.Locator("header")).ToContainTextAsync("Anna Lind, distriktssköterska");
        await Expect(Page.Locator("header")).ToContainTextAsync("Vårdcentralen Norrby");

        var authorize = Assert.Single(_idp.AuthorizeRequests);
        Assert.Equal("code", authorize["response_type"]);
        Assert.Equal("S256", authorize["code_challenge_method"]);
        Assert.True(authorize["code_challenge"].Length >= 43, "no PKCE code challenge");
        Assert.Equal($"{_web.BaseUrl}/inloggning/oidc", authorize["redirect_uri"]);
        var token = Assert.Single(_idp.TokenRequests);
        Assert.Equal("authorization_code", token["grant_type"]);
        Assert.True(token.ContainsKey("code_verifier"));

        // The meeting was read as Anna with the provider's access token, which never reached the browser.
        var accessToken = Assert.Single(_idp.IssuedAccessTokens);
        Assert.Contains(Gateway.Calls, c => c.Path == $"/api/v1/meetings/{Demo.MeetingConvenedByNorrby}" && c.Authorization == "Bearer " + accessToken);
        Assert.DoesNotContain(accessToken, await Page.ContentAsync(), StringComparison.Ordinal);
        Assert.All(await Context.CookiesAsync(), c => Assert.DoesNotContain(accessToken, c.Value, StringComparison.Ordinal));
        var identity = await Gateway.ValidateAsync("Bearer " + accessToken);
        Assert.Equal(Demo.AnnaSubject, identity?.FindFirst(SipClaims.Subject)?.Value);
    }
}
