using Sip.MeetingScheduling.Documents;

namespace Sip.MeetingScheduling.Tests.Documents;

public sealed class InvitationLetterTests
{
    [Fact]
    public void The_letter_is_a_Swedish_A4_page_with_the_reason_time_place_convener_and_reference()
    {
        var html = InvitationLetter.Html(DocumentSamples.Letter());

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<html lang=\"sv\">", html);
        Assert.Contains("@page { size: A4;", html);
        Assert.Contains("<h1>Inbjudan till SIP-möte</h1>", html);
        Assert.Contains("Hej Åsa Öberg!", html);
        Assert.Contains("Björkvägen 3<br>123 45 Solna", html);
        Assert.Contains("samordnad individuell plan (SIP)", html);
        Assert.Contains("Planera stödet efter utskrivningen från sjukhuset.", html);
        // 08.00Z in June is 10.00 in Stockholm.
        Assert.Contains("torsdag 18 juni 2026 kl. 10.00–11.30", html);
        Assert.Contains("Mottagning<br>Storgatan 1, 111 22 Stockholm", html);
        Assert.Contains("Vårdcentralen Norra", html);
        Assert.Contains("Karin Lund", html);
        Assert.Contains("08-123 456 78", html);
        Assert.Contains("sip.norra@region.example.se", html);
        Assert.Contains("<dt>Mötesledare</dt><dd>Per Sjöberg</dd>", html);
        Assert.Contains("Ni är välkomna att ta med en stödperson.", html);
        Assert.Contains("SIP-2026-000123", html);
        Assert.Contains("1 juni 2026", html);
    }

    [Theory]
    [InlineData("FollowUp", "Inbjudan till uppföljningsmöte")]
    [InlineData("Evaluation", "Inbjudan till utvärderingsmöte")]
    [InlineData("PreMeeting", "Inbjudan till förberedande möte")]
    public void The_heading_names_the_kind_of_meeting(string kind, string heading)
    {
        var html = InvitationLetter.Html(DocumentSamples.Letter() with { Kind = kind });
        Assert.Contains($"<h1>{heading}</h1>", html);
    }

    [Fact]
    public void Every_typed_field_is_encoded_so_hostile_input_stays_text()
    {
        const string hostile = "<script>alert('x')</script>\"&<img src=x onerror=alert(1)>";
        var content = DocumentSamples.Letter() with
        {
            RecipientName = hostile,
            RecipientAddress = hostile,
            PlaceDetails = hostile,
            Reason = hostile,
            ConvenedByUnitName = hostile,
            ConvenerMailbox = hostile,
            CoordinatorName = hostile,
            CoordinatorPhone = hostile,
            ChairName = hostile,
            CaseReference = hostile,
        };
        var html = InvitationLetter.Html(content);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'x'", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;&lt;img src=x onerror=alert(1)&gt;", html);
        // As many encoded copies as there are fields shown: every one went through the encoder.
        Assert.True(html.Split("&lt;script&gt;").Length - 1 >= 10);
    }

    [Fact]
    public void A_home_whose_address_may_not_be_shown_is_named_without_it()
    {
        var html = InvitationLetter.Html(DocumentSamples.Letter(placeDetails: null, placeType: "Home"));

        Assert.Contains("Hemma hos den enskilde<br>Den som kallar till mötet meddelar adressen.", html);
        Assert.DoesNotContain("Storgatan", html);
    }

    [Fact]
    public void Missing_optional_fields_leave_no_empty_rows()
    {
        var html = InvitationLetter.Html(DocumentSamples.Letter() with
        {
            RecipientAddress = null, ChairName = null, CoordinatorPhone = null, ConvenerMailbox = null,
        });

        Assert.DoesNotContain("Mötesledare", html);
        Assert.DoesNotContain("<dt>Telefon</dt>", html);
        Assert.DoesNotContain("<dt>E-post</dt>", html);
        Assert.Contains("<address class=\"recipient\">Åsa Öberg</address>", html);
    }
}
