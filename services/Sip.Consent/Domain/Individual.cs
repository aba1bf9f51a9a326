using Sip.ServiceDefaults;

namespace Sip.Consent.Domain;

/// <summary>
/// A person known to the platform. Elsewhere only <see cref="Id"/> is used, never the identifier. The
/// identifier can change (a reserve or temporary id linked to a personnummer later); the id never does,
/// so every consent and case stays attached.
/// </summary>
public sealed class Individual
{
    public const int AdultAge = 18;

    private Individual()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public IdentityKind IdentityKind { get; private set; }
    public string IdentityValue { get; private set; } = "";
    public string? IdentityFormat { get; private set; }
    public DateOnly? BirthDate { get; private set; }
    public Guid RegisteredByUnitId { get; private init; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset ChangedAt { get; private set; }

    /// <summary>Set when this record turned out to be a person already known under another record (see <see cref="LinkIdentifier"/>).</summary>
    public Guid? MergedIntoId { get; private set; }

    public List<IdentifierRecord> Identifiers { get; private init; } = [];
    public List<Representative> Representatives { get; private init; } = [];

    /// <summary>For a child with two guardians: why one guardian's consent is enough (e.g. the other has no contact rights), if it is.</summary>
    public string? SingleGuardianConsentReason { get; private set; }

    /// <summary>Skyddad identitet / sekretessmarkering: contact details and placement only to <see cref="EntitledUnitIds"/>.</summary>
    public bool ProtectedIdentity { get; private set; }
    public List<Guid> EntitledUnitIds { get; private set; } = [];
    public ContactDetails? Contact { get; private set; }
    public Placement? Placement { get; private set; }

    public PersonIdentifier Identifier => new(IdentityKind, IdentityValue, IdentityFormat);

    public static Individual Register(string tenantId, PersonIdentifier identifier, DateOnly? birthDate, Guid unitId, string recordedBy, DateTimeOffset now, DateOnly today)
    {
        var derived = identifier.Kind is IdentityKind.Personnummer or IdentityKind.Samordningsnummer
            ? new IdentityNumber(identifier.Kind, identifier.Value).BirthDate
            : (DateOnly?)null;
        if (derived is { } d && birthDate is { } given && d != given)
        {
            throw new DomainException("birth-date-contradicts-identifier", "Födelsedatumet stämmer inte med numret",
                "Utelämna födelsedatumet: det framgår av person- eller samordningsnumret.", StatusCodes.Status400BadRequest);
        }
        if (birthDate > today)
        {
            throw new DomainException("birth-date-in-future", "Födelsedatumet ligger i framtiden", status: StatusCodes.Status400BadRequest);
        }
        var individual = new Individual
        {
            // Random, not time-ordered: an id handed to a unit that may not see the record must not tell when the
            // person was first registered.
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            IdentityKind = identifier.Kind,
            IdentityValue = identifier.Value,
            IdentityFormat = identifier.Format,
            BirthDate = derived ?? birthDate,
            RegisteredByUnitId = unitId,
            CreatedAt = now,
            ChangedAt = now,
        };
        individual.Identifiers.Add(new IdentifierRecord(identifier.Kind, identifier.Value, identifier.Format, now, null, recordedBy));
        return individual;
    }

    public static PersonIdentifier NewTemporaryId(DateTimeOffset now)
    {
        // Crockford base32 without I, L, O, U: easy to read aloud over the phone.
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return new PersonIdentifier(IdentityKind.TemporaryId, $"TMP-{now:yyMMdd}-{chars}");
    }

    /// <summary>
    /// What a statistic may know of the person (SIP-DOMAIN §10): the birth date (from the number, or recorded with a reserve
    /// or temporary id) and the sex a personnummer or samordningsnummer was issued for. A reserve or temporary id says
    /// nothing about sex, so it is <see cref="Domain.Sex.Unknown"/>; so is the birth date when none is recorded.
    /// </summary>
    public (DateOnly? BirthDate, Sex Sex) ForStatistics() =>
        (BirthDate, IdentityKind is IdentityKind.Personnummer or IdentityKind.Samordningsnummer
            ? new IdentityNumber(IdentityKind, IdentityValue).Sex
            : Sex.Unknown);

    public bool IsChildOn(DateOnly day) => BirthDate is { } b && b.AddYears(AdultAge) > day;

    /// <summary>
    /// The person behind a reserve or temporary id (or a samordningsnummer) has been identified. The old
    /// identifier stays in the history; <paramref name="identifier"/> becomes the current one.
    /// </summary>
    public void LinkIdentifier(PersonIdentifier identifier, string recordedBy, DateTimeOffset now)
    {
        EnsureNotMerged();
        var allowed = (IdentityKind, identifier.Kind) switch
        {
            (IdentityKind.Personnummer, _) => false,
            (IdentityKind.Samordningsnummer, IdentityKind.Personnummer) => true,
            (IdentityKind.NationalReserveNumber or IdentityKind.LocalReserveNumber or IdentityKind.TemporaryId,
                IdentityKind.Personnummer or IdentityKind.Samordningsnummer or IdentityKind.NationalReserveNumber or IdentityKind.LocalReserveNumber) => true,
            _ => false,
        };
        if (!allowed || identifier == Identifier)
        {
            throw new DomainException("identifier-link-not-allowed", "Numret kan inte kopplas till personen",
                IdentityKind == IdentityKind.Personnummer
                    ? "Personen har redan ett personnummer."
                    : "Ett reservnummer eller tillfälligt id kan kopplas till ett personnummer, samordningsnummer eller reservnummer, och ett samordningsnummer till ett personnummer.",
                StatusCodes.Status409Conflict);
        }
        if (identifier.Kind is IdentityKind.Personnummer or IdentityKind.Samordningsnummer)
        {
            BirthDate = new IdentityNumber(identifier.Kind, identifier.Value).BirthDate;
        }
        var current = Identifiers.Single(i => i.ReplacedAt is null);
        Identifiers[Identifiers.IndexOf(current)] = current with { ReplacedAt = now };
        Identifiers.Add(new IdentifierRecord(identifier.Kind, identifier.Value, identifier.Format, now, null, recordedBy));
        (IdentityKind, IdentityValue, IdentityFormat) = (identifier.Kind, identifier.Value, identifier.Format);
        ChangedAt = now;
    }

    /// <summary>This record and <paramref name="survivor"/> are the same person: the survivor takes over this record's history.</summary>
    public void MergeInto(Individual survivor, DateTimeOffset now)
    {
        EnsureNotMerged();
        var current = Identifiers.Single(i => i.ReplacedAt is null);
        Identifiers[Identifiers.IndexOf(current)] = current with { ReplacedAt = now };
        survivor.Identifiers.InsertRange(0, Identifiers.Select(i => i with { MergedFromIndividualId = Id }));
        foreach (var representative in Representatives.Where(r => survivor.Representatives.All(s => s.Id != r.Id)))
        {
            survivor.Representatives.Add(representative);
        }
        survivor.ChangedAt = now;
        MergedIntoId = survivor.Id;
        // The identifier moves to the survivor's history: the unique current identifier is free for it.
        IdentityValue = $"merged:{Id:N}";
        IdentityKind = IdentityKind.TemporaryId;
        IdentityFormat = null;
        ChangedAt = now;
    }

    public Representative AddRepresentative(RepresentativeKind kind, string name, string? relation, ContactDetails? contact, DateTimeOffset now, DateOnly today)
    {
        EnsureNotMerged();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("representative-name-missing", "Ange företrädarens namn", status: StatusCodes.Status400BadRequest);
        }
        var child = IsChildOn(today);
        if (kind is RepresentativeKind.Guardian or RepresentativeKind.AppointedGuardian && !child)
        {
            throw new DomainException("guardian-for-adult", "Vårdnadshavare finns bara för barn",
                BirthDate is null
                    ? "Personens födelsedatum är okänt; ange det för att kunna registrera vårdnadshavare."
                    : "Personen är 18 år eller äldre. För en vuxen som inte kan samtycka: registrera en förvaltare eller god man.");
        }
        if (kind == RepresentativeKind.Forvaltare && child)
        {
            throw new DomainException("trustee-for-child", "Förvaltare registreras för vuxna",
                "Ett barns företrädare är vårdnadshavarna, en särskilt förordnad vårdnadshavare eller, för ett ensamkommande barn, en god man.");
        }
        // An unaccompanied minor (ensamkommande barn) has no guardian in Sweden: the överförmyndare appoints a god man
        // (lag 2005:429) who acts in the guardian's place and consents together with the child (SIP-DOMAIN §3).
        if (kind == RepresentativeKind.GodMan && child && Representatives.Any(r => r.Kind is RepresentativeKind.Guardian or RepresentativeKind.AppointedGuardian))
        {
            throw new DomainException("god-man-for-child-with-guardian", "Barnet har vårdnadshavare",
                "En god man för ett barn förordnas bara när barnet saknar vårdnadshavare i Sverige (ensamkommande barn, lag 2005:429).");
        }
        if (kind == RepresentativeKind.Guardian && Representatives.Count(r => r.Kind == RepresentativeKind.Guardian) >= 2)
        {
            throw new DomainException("too-many-guardians", "Ett barn har högst två vårdnadshavare",
                "Ta bort en vårdnadshavare först, eller registrera en särskilt förordnad vårdnadshavare.");
        }
        var representative = new Representative(Guid.CreateVersion7(now), kind, name.Trim(), string.IsNullOrWhiteSpace(relation) ? null : relation.Trim(), contact, now);
        Representatives.Add(representative);
        ChangedAt = now;
        return representative;
    }

    public void SetSingleGuardianConsentReason(string? reason, DateTimeOffset now)
    {
        EnsureNotMerged();
        SingleGuardianConsentReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        ChangedAt = now;
    }

    public void SetProtection(bool protectedIdentity, IReadOnlyCollection<Guid> entitledUnitIds, DateTimeOffset now)
    {
        EnsureNotMerged();
        if (protectedIdentity && entitledUnitIds.Count == 0)
        {
            throw new DomainException("protection-without-entitled-units", "Ange vilka enheter som får se uppgifterna",
                "Med skyddad identitet visas kontaktuppgifter och placering bara för de enheter som anges.", StatusCodes.Status400BadRequest);
        }
        ProtectedIdentity = protectedIdentity;
        EntitledUnitIds = protectedIdentity ? entitledUnitIds.Distinct().ToList() : [];
        ChangedAt = now;
    }

    public void SetContact(ContactDetails? contact, Placement? placement, DateTimeOffset now)
    {
        EnsureNotMerged();
        if (placement is { SecretFromGuardians: true } && !ProtectedIdentity)
        {
            throw new DomainException("secret-placement-without-protection", "Placeringen kan inte hållas hemlig utan skyddade uppgifter",
                "Markera först personens uppgifter som skyddade och ange vilka enheter som får se dem.");
        }
        Contact = contact;
        Placement = placement;
        ChangedAt = now;
    }

    /// <summary>May staff of <paramref name="unitId"/> see contact details and placement?</summary>
    public bool ContactVisibleTo(Guid unitId) => !ProtectedIdentity || EntitledUnitIds.Contains(unitId);

    /// <summary>What may be shown or sent to a representative (e.g. with a copy of the plan): never a placement kept secret from guardians.</summary>
    public (ContactDetails? Contact, Placement? Placement) VisibleToRepresentative(Guid representativeId) =>
        HomeVisibleTo(RepresentativeById(representativeId)) ? (Contact, Placement) : (null, null);

    /// <summary>
    /// What an invitation letter to a recipient may say, when staff of <paramref name="unitId"/> send it: whether the
    /// individual's home may be named as the meeting place, the address (only to a unit that may see it), and, for a
    /// recorded representative, where the letter goes.
    /// </summary>
    public LetterDisclosure LetterTo(LetterRecipientKind recipient, Guid? representativeId, Guid unitId)
    {
        var representative = representativeId is { } id ? RepresentativeById(id) : null;
        var homeVisible = recipient == LetterRecipientKind.Individual
            || (representative is null ? !ProtectedIdentity : HomeVisibleTo(representative));
        var unitMaySee = ContactVisibleTo(unitId);
        // A placed person lives at the placement: a meeting "at home" is held there.
        var home = homeVisible && unitMaySee ? Placement?.Address ?? Contact?.Address : null;
        // The representative's own address is theirs, but for a protected person it can tell where they live (see IndividualResponse).
        return new LetterDisclosure(ProtectedIdentity, homeVisible, home, representative?.Name, unitMaySee ? representative?.Contact?.Address : null);
    }

    private Representative RepresentativeById(Guid representativeId) =>
        Representatives.SingleOrDefault(r => r.Id == representativeId)
            ?? throw new DomainException("representative-not-found", "Företrädaren finns inte", status: StatusCodes.Status404NotFound);

    private bool HomeVisibleTo(Representative representative)
    {
        var guardian = representative.Kind is RepresentativeKind.Guardian or RepresentativeKind.AppointedGuardian;
        // With protected identity, only what the entitled units decide to pass on in person: nothing through the platform.
        // A placement kept secret from the guardians stays secret even if the protection was lifted afterwards.
        return !(guardian && Placement is { SecretFromGuardians: true }) && !(ProtectedIdentity && !guardian);
    }

    private void EnsureNotMerged()
    {
        if (MergedIntoId is not null)
        {
            throw new DomainException("individual-merged", "Personen har förts samman med en annan post",
                "Använd den post som personen fördes samman med.", StatusCodes.Status409Conflict);
        }
    }
}

public sealed record IdentifierRecord(IdentityKind Kind, string Value, string? Format, DateTimeOffset From, DateTimeOffset? ReplacedAt, string RecordedBy,
    Guid? MergedFromIndividualId = null);

public enum RepresentativeKind
{
    /// <summary>Vårdnadshavare.</summary>
    Guardian,
    /// <summary>Särskilt förordnad vårdnadshavare: court-appointed, may consent for the child.</summary>
    AppointedGuardian,
    /// <summary>Förvaltare: may consent and represent.</summary>
    Forvaltare,
    /// <summary>God man: may represent only with the individual's own consent; for an unaccompanied minor (god man för
    /// ensamkommande barn) in the guardian's place, consenting together with the child.</summary>
    GodMan,
    /// <summary>Personligt ombud: acts on the individual's behalf, conveys the individual's own decision.</summary>
    PersonalOmbudsman,
    /// <summary>Närstående: takes part and receives copies only if the individual does not object; never consents.</summary>
    Relative,
}

public sealed record Representative(Guid Id, RepresentativeKind Kind, string Name, string? Relation, ContactDetails? Contact, DateTimeOffset AddedAt);

/// <summary>Name and contact details: shown only to entitled units when the identity is protected.</summary>
public sealed record ContactDetails(string? Address = null, string? Phone = null, string? Email = null, string? Name = null);

/// <summary>Who an invitation letter is addressed to (meeting-scheduling's recipient kinds).</summary>
public enum LetterRecipientKind
{
    Individual,
    Guardian,
    Representative,
    Relative,
    School,
    SocialInsuranceAgency,
    EmploymentService,
    Other,
}

/// <summary>What an invitation letter may say: see <see cref="Individual.LetterTo"/>.</summary>
public sealed record LetterDisclosure(bool ProtectedIdentity, bool HomeAddressVisible, string? IndividualAddress, string? RecipientName, string? RecipientAddress);

/// <summary>Where a person lives when placed (e.g. a child in care under LVU); its address may be kept secret from the guardians.</summary>
public sealed record Placement(string Description, string? Address = null, bool SecretFromGuardians = false);
