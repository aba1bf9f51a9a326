using System.Text;

namespace Sip.Statistics.Domain.Survey;

/// <summary>
/// The pepper the survey's codes are hashed with (<c>Statistics:Survey:Pepper</c>, a secret of at least 32 characters,
/// never in the database): without it the stored hashes cannot be tried against the code space. Development has a fixed
/// one; anywhere else its absence stops the survey endpoints with an error, not with codes hashed by a known key.
/// </summary>
public sealed class SurveySecrets(IConfiguration configuration, IHostEnvironment environment)
{
    public const string DevelopmentPepper = "sip-development-survey-pepper-not-a-secret";

    private readonly byte[]? _pepper = configuration["Statistics:Survey:Pepper"] is { Length: >= 32 } configured
        ? Encoding.UTF8.GetBytes(configured)
        : environment.IsDevelopment() ? Encoding.UTF8.GetBytes(DevelopmentPepper) : null;

    public byte[] Pepper => _pepper
        ?? throw new InvalidOperationException("Statistics:Survey:Pepper is not set (a secret of at least 32 characters): the SIP-kollen survey cannot hash its codes.");

    /// <summary>How long a one-time code works after it is handed out (<c>Statistics:Survey:CodeLifetimeDays</c>, default 60).</summary>
    public int CodeLifetimeDays { get; } = configuration.GetValue<int?>("Statistics:Survey:CodeLifetimeDays") ?? 60;
}
