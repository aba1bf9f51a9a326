using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

/// <summary>Every link a message carries opens a page of the staff web app through the gateway: none answers 404.</summary>
public sealed class LinkTests
{
    private static readonly Links Links = Links.From("https://sip.example.se");

    public static TheoryData<string> Made => new()
    {
        Links.Case(Guid.NewGuid()).ToString(),
        Links.Meeting(Guid.NewGuid()).ToString(),
        Links.Plan(Guid.NewGuid(), 3).ToString(),
    };

    [Theory]
    [MemberData(nameof(Made))]
    public void Every_kind_of_link_the_service_makes_is_a_web_app_page_the_gateway_routes_to_it(string link)
    {
        Assert.NotNull(WebPages.PageFor(new Uri(link)));
    }

    [Fact]
    public void Every_route_the_service_lists_is_one_the_web_app_serves()
    {
        Assert.All(Links.Routes, route => Assert.Contains(WebPages.Pages, page => string.Equals(page, route, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void A_path_the_web_app_does_not_serve_is_not_taken_for_a_page()
    {
        Assert.Null(WebPages.PageFor(new Uri("https://sip.example.se/arenden/SIP-2026-000123")));
        Assert.Null(WebPages.PageFor(new Uri($"https://sip.example.se/cases/{Guid.NewGuid()}/plans/tre")));
        Assert.Null(WebPages.PageFor(new Uri("https://sip.example.se/api/v1/cases/x")));
    }

    [Fact]
    public void A_base_url_with_a_path_keeps_it()
    {
        var links = Links.From("https://sip.region.example.se/plattform");
        var caseId = Guid.NewGuid();

        Assert.Equal($"https://sip.region.example.se/plattform/cases/{caseId}", links.Case(caseId).ToString());
    }
}
