using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Consent;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using static Sip.Case.Apis.CasesApi;

namespace Sip.Case.Apis;

/// <summary>Case messages among participating units: for information, or for acknowledgement (then in each recipient's inbox until acknowledged).</summary>
public static class MessagesApi
{
    public static RouteGroupBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cases/{caseId:guid}/messages").WithTags("Meddelanden");
        api.MapPost("", Send).WithSummary("Skicka ett meddelande till deltagande enheter");
        api.MapGet("", List).WithSummary("Ärendets meddelanden till och från enheten");
        api.MapPost("/{messageId:guid}/acknowledge", Acknowledge).WithSummary("Kvittera ett meddelande");
        return api;
    }

    public static async Task<Created<MessageResponse>> Send(Guid caseId, SendMessageRequest request, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, request.UnitId, ct);
        var now = clock.GetUtcNow();
        var message = CaseMessage.Send(sipCase, request.UnitId, request.ToUnitIds ?? [], request.Text, request.RequiresAcknowledgement, user.Subject, now);
        db.Messages.Add(message);
        db.AddEvent(new CaseMessageSent(Guid.CreateVersion7(now), now, sipCase.TenantId, caseId, sipCase.Reference, message.Id, message.FromUnitId,
            message.ToUnitIds, message.RequiresAcknowledgement));
        db.Audit(user, request.UnitId, "message.sent", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/cases/{caseId}/messages", MessageResponse.From(message));
    }

    public static async Task<Ok<List<MessageResponse>>> List(Guid caseId, Guid unitId, ClaimsPrincipal principal, CaseDbContext db, ConsentGate consent,
        TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, unitId, ct);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.CaseId == caseId && (m.FromUnitId == unitId || m.ToUnitIds.Contains(unitId)))
            .OrderBy(m => m.SentAt).ToListAsync(ct);
        db.Audit(user, unitId, "message.listed", sipCase.IndividualId, caseId, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(messages.Select(MessageResponse.From).ToList());
    }

    public static async Task<Ok<MessageResponse>> Acknowledge(Guid caseId, Guid messageId, ActingUnitRequest request, ClaimsPrincipal principal, CaseDbContext db,
        ConsentGate consent, TimeProvider clock, CancellationToken ct)
    {
        var (user, sipCase) = await PlansApi.CaseAsync(db, consent, principal, caseId, request.UnitId, ct);
        var message = await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.CaseId == caseId, ct)
            ?? throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        var now = clock.GetUtcNow();
        message.Acknowledge(request.UnitId, user.Subject, now);
        sipCase.Touch(now);
        db.Audit(user, request.UnitId, "message.acknowledged", sipCase.IndividualId, caseId, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(MessageResponse.From(message));
    }
}

public sealed record SendMessageRequest(Guid UnitId, string Text, bool RequiresAcknowledgement = false, IReadOnlyList<Guid>? ToUnitIds = null);

public sealed record MessageResponse(Guid MessageId, Guid FromUnitId, IReadOnlyList<Guid> ToUnitIds, string Text, bool RequiresAcknowledgement, string SentBy,
    DateTimeOffset SentAt, IReadOnlyList<MessageAcknowledgement> Acknowledgements)
{
    public static MessageResponse From(CaseMessage m) => new(m.Id, m.FromUnitId, m.ToUnitIds, m.Text, m.RequiresAcknowledgement, m.SentBy, m.SentAt, m.Acknowledgements);
}
