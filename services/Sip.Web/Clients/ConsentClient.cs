using System.Net;
using System.Net.Http.Json;

namespace Sip.Web.Clients;

// The consent service's views as this app reads them (kinds, bases and statuses as strings, see CaseClient.cs).
// Identity numbers travel in request and response bodies only, never in a URL this app calls or shows.

public sealed record ContactDetails(string? Address = null, string? Phone = null, string? Email = null, string? Name = null);

public sealed record Placement(string Description, string? Address = null, bool SecretFromGuardians = false);

public sealed record RepresentativeView(Guid RepresentativeId, string Kind, string Name, string? Relation, ContactDetails? Contact);

public sealed record IdentifierView(string Kind, string Value, string? Format, DateTimeOffset From, DateTimeOffset? ReplacedAt);

public sealed record IndividualView(Guid IndividualId, string IdentifierKind, string Identifier, string? IdentifierFormat, DateOnly? BirthDate,
    bool ProtectedIdentity, ContactDetails? Contact, Placement? Placement, string? SingleGuardianConsentReason,
    IReadOnlyList<RepresentativeView> Representatives, IReadOnlyList<IdentifierView> IdentifierHistory)
{
    /// <summary>The service answered with the id only: the person is known, but not to this unit (registered elsewhere).</summary>
    public bool IdOnly => IdentifierHistory.Count == 0;

    public bool IsChildOn(DateOnly day) => BirthDate is { } b && b.AddYears(18) > day;
}

public sealed record DeclarationView(Guid? RepresentativeId, string Decision, string Form, Guid? ConveyedById, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ChildView(bool Informed, bool Asked, string? View = null);

public sealed record PresumedConsent(DateOnly InformedOn, string Observation);

public sealed record ExceptionDecision(string DecisionMaker, DateOnly DecidedOn, string Basis, string? Reference = null);

public sealed record WithdrawalView(Guid? RepresentativeId, string Form, string RecordedBy, DateTimeOffset At, string? Comment);

public sealed record ConsentView(Guid ConsentId, Guid IndividualId, string Basis, string Status, IReadOnlyList<DeclarationView> Declarations,
    ChildView? ChildView, PresumedConsent? Presumed, ExceptionDecision? Exception, IReadOnlyList<Guid> UnitIds, IReadOnlyList<string> ExcludedCategories,
    IReadOnlyList<Guid> CopyRecipientIds, bool CopyToIndividual, DateOnly ValidFrom, DateOnly ValidUntil, string RecordedBy, Guid RecordedByUnitId,
    DateTimeOffset RecordedAt, WithdrawalView? Withdrawal, DateTimeOffset? ExpiredAt, IReadOnlyList<Guid> AwaitingRepresentativeIds)
{
    public bool IsActive => Status is "Pending" or "Given";
}

public sealed record NewDeclaration(string Decision, string Form, Guid? RepresentativeId = null, Guid? ConveyedById = null);

public sealed record RecordConsent(Guid IndividualId, string Basis, IReadOnlyList<Guid> UnitIds, DateOnly ValidUntil, Guid RecordedByUnitId,
    IReadOnlyList<NewDeclaration>? Declarations, ChildView? ChildView, PresumedConsent? Presumed, ExceptionDecision? Exception,
    IReadOnlyList<string>? ExcludedCategories, IReadOnlyList<Guid>? CopyRecipientIds, bool CopyToIndividual);

public sealed record ScopeChange(IReadOnlyList<Guid> UnitIds, DateOnly ValidUntil, string Form, Guid UnitId, IReadOnlyList<string>? ExcludedCategories,
    IReadOnlyList<Guid>? CopyRecipientIds, bool CopyToIndividual, Guid? DecidedByRepresentativeId);

public sealed record Registration(IndividualView Individual, bool Created);

/// <summary>The consent service (<c>/api/v1/consent</c>): people, their identifiers and representatives, and their consents.</summary>
internal sealed class ConsentClient(HttpClient http)
{
    private const string Individuals = "api/v1/consent/individuals";
    private const string Consents = "api/v1/consent/consents";

    /// <param name="kind">Null: the service decides the kind, and refuses an ambiguous value.</param>
    public Task<ServiceResult<IndividualView>> SearchAsync(string identifier, string? kind, string? format, Guid unitId, CancellationToken ct) =>
        Post<IndividualView>($"{Individuals}/search", new { identifier, unitId, identifierKind = kind, identifierFormat = format }, ct);

    /// <summary>A known identifier is not an error: the service answers 200 with the same person (the id only, to a unit that may not see them).</summary>
    public async Task<ServiceResult<Registration>> RegisterAsync(string identifier, string? kind, string? format, DateOnly? birthDate, Guid unitId, CancellationToken ct)
    {
        var body = new { identifier, unitId, identifierKind = kind, identifierFormat = format, birthDate };
        try
        {
            using var response = await http.PostAsJsonAsync(Individuals, body, ServiceCalls.Json, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new(null, await ServiceCalls.ProblemAsync(response, ct));
            }
            var person = await response.Content.ReadFromJsonAsync<IndividualView>(ServiceCalls.Json, ct);
            return person is null ? new(null, ServiceProblem.Unreadable) : new(new Registration(person, response.StatusCode == HttpStatusCode.Created), null);
        }
        catch (HttpRequestException)
        {
            return new(null, ServiceProblem.FromStatus((int)HttpStatusCode.BadGateway));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(null, ServiceProblem.FromStatus((int)HttpStatusCode.GatewayTimeout));
        }
        catch (System.Text.Json.JsonException)
        {
            return new(null, ServiceProblem.Unreadable);
        }
    }

    public Task<ServiceResult<IndividualView>> RegisterUnidentifiedAsync(DateOnly? birthDate, Guid unitId, CancellationToken ct) =>
        Post<IndividualView>($"{Individuals}/unidentified", new { unitId, birthDate }, ct);

    public Task<ServiceResult<IndividualView>> IndividualAsync(Guid individualId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<IndividualView>(http, new(HttpMethod.Get, $"{Individuals}/{individualId}?unitId={unitId}"), ct);

    public Task<ServiceResult<IndividualView>> SetContactAsync(Guid individualId, ContactDetails? contact, Placement? placement, Guid unitId, CancellationToken ct) =>
        Send<IndividualView>(HttpMethod.Put, $"{Individuals}/{individualId}/contact", new { unitId, contact, placement }, ct);

    public Task<ServiceResult<IndividualView>> SetProtectionAsync(Guid individualId, bool protectedIdentity, IReadOnlyList<Guid> entitledUnitIds, Guid unitId, CancellationToken ct) =>
        Send<IndividualView>(HttpMethod.Put, $"{Individuals}/{individualId}/protection", new { protectedIdentity, unitId, entitledUnitIds }, ct);

    public Task<ServiceResult<IndividualView>> SetGuardianshipAsync(Guid individualId, string? singleGuardianConsentReason, Guid unitId, CancellationToken ct) =>
        Send<IndividualView>(HttpMethod.Put, $"{Individuals}/{individualId}/guardianship", new { unitId, singleGuardianConsentReason }, ct);

    public Task<ServiceResult<IndividualView>> LinkIdentifierAsync(Guid individualId, string identifier, string? kind, string? format, Guid unitId, CancellationToken ct) =>
        Post<IndividualView>($"{Individuals}/{individualId}/identifiers", new { identifier, unitId, identifierKind = kind, identifierFormat = format }, ct);

    public Task<ServiceResult<RepresentativeView>> AddRepresentativeAsync(Guid individualId, string kind, string name, string? relation, ContactDetails? contact,
        Guid unitId, CancellationToken ct) =>
        Post<RepresentativeView>($"{Individuals}/{individualId}/representatives", new { kind, name, unitId, relation, contact }, ct);

    public Task<ServiceResult<List<ConsentView>>> ConsentsAsync(Guid individualId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<List<ConsentView>>(http, new(HttpMethod.Get, $"{Individuals}/{individualId}/consents?unitId={unitId}"), ct);

    public Task<ServiceResult<ConsentView>> ConsentAsync(Guid consentId, Guid unitId, CancellationToken ct) =>
        ServiceCalls.SendAsync<ConsentView>(http, new(HttpMethod.Get, $"{Consents}/{consentId}?unitId={unitId}"), ct);

    public Task<ServiceResult<ConsentView>> RecordAsync(RecordConsent consent, CancellationToken ct) => Post<ConsentView>(Consents, consent, ct);

    public Task<ServiceResult<ConsentView>> DeclareAsync(Guid consentId, NewDeclaration declaration, Guid unitId, CancellationToken ct) =>
        Post<ConsentView>($"{Consents}/{consentId}/declarations", new
        {
            decision = declaration.Decision, form = declaration.Form, unitId, representativeId = declaration.RepresentativeId, conveyedById = declaration.ConveyedById,
        }, ct);

    public Task<ServiceResult<ConsentView>> WithdrawAsync(Guid consentId, string form, Guid? representativeId, string? comment, Guid unitId, CancellationToken ct) =>
        Post<ConsentView>($"{Consents}/{consentId}/withdrawal", new { form, unitId, representativeId, comment }, ct);

    public Task<ServiceResult<ConsentView>> ChangeScopeAsync(Guid consentId, ScopeChange scope, CancellationToken ct) =>
        Send<ConsentView>(HttpMethod.Put, $"{Consents}/{consentId}/scope", scope, ct);

    private Task<ServiceResult<T>> Post<T>(string url, object body, CancellationToken ct) => Send<T>(HttpMethod.Post, url, body, ct);

    private Task<ServiceResult<T>> Send<T>(HttpMethod method, string url, object body, CancellationToken ct) =>
        ServiceCalls.SendAsync<T>(http, new(method, url) { Content = JsonContent.Create(body, body.GetType(), options: ServiceCalls.Json) }, ct);
}
