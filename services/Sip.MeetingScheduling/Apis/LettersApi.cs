using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Documents;
using Sip.MeetingScheduling.Clients;
using Sip.MeetingScheduling.Documents;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;
using static Sip.MeetingScheduling.Apis.MeetingsApi;

namespace Sip.MeetingScheduling.Apis;

/// <summary>
/// Invitation letters to people and actors without access (SIP-DOMAIN §5.6): printable HTML and PDF. What a letter says about
/// the individual is decided by consent at printing time: the individual's home is named as the place only where consent's
/// disclosure rules allow it for that recipient.
/// </summary>
public static class LettersApi
{
    public static RouteGroupBuilder MapLettersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/meetings/{meetingId:guid}/letters").WithTags("Inbjudningar");
        api.MapPost("", Add).WithSummary("Bjud in någon utan behörighet (den enskilde, vårdnadshavare, skola, Försäkringskassan …) med brev");
        api.MapGet("", List).WithSummary("Mötets inbjudningsbrev");
        api.MapGet("/{letterId:guid}", Html).WithSummary("Brevet som utskriftsvänlig HTML");
        api.MapGet("/{letterId:guid}/pdf", Pdf).WithSummary("Brevet som PDF");
        return api;
    }

    public static async Task<Created<LetterSummary>> Add(Guid meetingId, AddLetterRequest request, ClaimsPrincipal principal, MeetingDbContext db, ICaseAccess cases,
        TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, request.UnitId, ct);
        var now = clock.GetUtcNow();
        var letter = LetterRecipient.Add(meeting, request.Kind, request.Name, request.Address, request.RepresentativeId, request.UnitId, user.Subject, now);
        db.Letters.Add(letter);
        db.Audit(user, request.UnitId, "meeting.letter-added", sipCase.IndividualId, sipCase.CaseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/meetings/{meetingId}/letters/{letter.Id}", LetterSummary.From(letter));
    }

    public static async Task<Ok<List<LetterSummary>>> List(Guid meetingId, Guid unitId, ClaimsPrincipal principal, MeetingDbContext db, ICaseAccess cases,
        TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase, _) = await MeetingAsync(db, cases, principal, meetingId, unitId, ct);
        var letters = await db.Letters.AsNoTracking().Where(l => l.MeetingId == meetingId).OrderBy(l => l.AddedAt).ToListAsync(ct);
        db.Audit(user, unitId, "meeting.letters-listed", sipCase.IndividualId, sipCase.CaseId, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(letters.Select(LetterSummary.From).ToList());
    }

    public static async Task<ContentHttpResult> Html(Guid meetingId, Guid letterId, Guid unitId, ClaimsPrincipal principal, MeetingDbContext db,
        ICaseAccess cases, ILetterDisclosures disclosures, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Content(await RenderAsync(db, cases, disclosures, clock, principal, meetingId, letterId, unitId, "meeting.letter-printed", ct),
            "text/html; charset=utf-8");

    public static async Task<FileContentHttpResult> Pdf(Guid meetingId, Guid letterId, Guid unitId, ClaimsPrincipal principal, MeetingDbContext db,
        ICaseAccess cases, ILetterDisclosures disclosures, PdfPrinter printer, TimeProvider clock, ILogger<PdfPrinter> logger, CancellationToken ct)
    {
        var html = await RenderAsync(db, cases, disclosures, clock, principal, meetingId, letterId, unitId, "meeting.letter-printed-pdf", ct);
        try
        {
            return TypedResults.File(await printer.PrintAsync(html, ct), "application/pdf", "inbjudan-sip-mote.pdf");
        }
        catch (PdfPrintException e)
        {
            // The message names the browser's path or exit code, never the letter. A handled problem is not logged again.
            logger.LogWarning("Printing a letter to PDF failed: {Reason}", e.Message);
            throw new DomainException("pdf-unavailable", "PDF kan inte skapas just nu",
                "Brevet kan skrivas ut från webbläsaren (HTML) medan PDF-utskriften inte fungerar.", StatusCodes.Status503ServiceUnavailable, e);
        }
    }

    private static async Task<string> RenderAsync(MeetingDbContext db, ICaseAccess cases, ILetterDisclosures disclosures, TimeProvider clock,
        ClaimsPrincipal principal, Guid meetingId, Guid letterId, Guid unitId, string action, CancellationToken ct)
    {
        var (user, sipCase, meeting) = await MeetingAsync(db, cases, principal, meetingId, unitId, ct);
        var letter = await db.Letters.AsNoTracking().SingleOrDefaultAsync(l => l.Id == letterId && l.MeetingId == meetingId, ct)
            ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        var disclosure = await disclosures.GetAsync(user.TenantId, sipCase.IndividualId, unitId, sipCase.CaseId, letter.Kind.ToString(), letter.RepresentativeId, ct);
        var now = clock.GetUtcNow();
        db.Audit(user, unitId, action, sipCase.IndividualId, sipCase.CaseId, Purpose, now);
        await db.SaveChangesAsync(ct);
        return InvitationLetter.Html(Content(meeting, letter, disclosure, sipCase.Unit(meeting.ConvenedByUnitId), SwedishCalendar.Today(now)));
    }

    /// <summary>The letter's words: the individual's home is named only where the disclosure allows it for this recipient.</summary>
    internal static LetterContent Content(Meeting m, LetterRecipient letter, LetterDisclosure disclosure, CaseUnit? convener, DateOnly today)
    {
        var homeVisible = disclosure.HomeAddressVisible;
        var placeDetails = m.Place.Type == PlaceType.Home ? (homeVisible ? m.Place.Details ?? disclosure.IndividualAddress : null) : m.Place.Details;
        var address = letter.Address ?? disclosure.RecipientAddress ?? (letter.Kind == RecipientKind.Individual && homeVisible ? disclosure.IndividualAddress : null);
        return new LetterContent(letter.Name ?? disclosure.RecipientName ?? "", address, m.Kind.ToString(), m.StartsAt, m.EndsAt, m.Place.Type.ToString(),
            placeDetails, m.Reason, convener?.Name ?? "", convener?.FunctionalMailbox, m.Coordinator.Name, m.Coordinator.Phone, m.Chair.Name, m.CaseReference, today);
    }
}

public sealed record AddLetterRequest(Guid UnitId, RecipientKind Kind, string? Name = null, string? Address = null, Guid? RepresentativeId = null);

/// <summary>Who a letter goes to, as typed; a representative recorded in consent is named at printing.</summary>
public sealed record LetterSummary(Guid LetterId, RecipientKind Kind, string? Name, Guid? RepresentativeId, DateTimeOffset AddedAt)
{
    public static LetterSummary From(LetterRecipient l) => new(l.Id, l.Kind, l.Name, l.RepresentativeId, l.AddedAt);
}
