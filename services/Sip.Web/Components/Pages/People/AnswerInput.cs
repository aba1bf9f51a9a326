namespace Sip.Web.Components.Pages.People;

/// <summary>One party's answer as typed: who (a representative id, or none for the individual), yes or no, how, passed on by whom.</summary>
public sealed class AnswerInput
{
    public string? Party { get; set; }

    /// <summary><c>Consents</c>, <c>Refuses</c>, or empty: not answered (yet).</summary>
    public string? Decision { get; set; }

    public string Form { get; set; } = "Written";

    public string? ConveyedBy { get; set; }
}
