using System.Globalization;

namespace Sip.Statistics.Domain.Survey;

/// <summary>One municipality of the reference data: its code, name, county and folkmängd (population; null where not yet entered).</summary>
public sealed record Municipality(string Code, string Name, string CountyCode, string CountyName, long? Population);

/// <summary>
/// Inhabitants per municipality (ReferenceData/inhabitants.csv, with its source in the file's header): the league table's
/// denominator, and the list of municipality codes an answer may name. Lines starting with # are the header comments.
/// </summary>
public sealed class Inhabitants
{
    public const string FileName = "inhabitants.csv";

    private readonly Dictionary<string, Municipality> _byCode;

    public Inhabitants(IEnumerable<Municipality> municipalities, string source)
    {
        _byCode = municipalities.ToDictionary(m => m.Code, StringComparer.Ordinal);
        Source = source;
    }

    /// <summary>The header's "Källa:" line: where the figures come from, shown beside the league table.</summary>
    public string Source { get; }

    public IReadOnlyCollection<Municipality> All => _byCode.Values;

    public Municipality? Find(string code) => _byCode.GetValueOrDefault(code);

    public string CountyName(string countyCode) =>
        _byCode.Values.FirstOrDefault(m => m.CountyCode == countyCode)?.CountyName ?? countyCode;

    public static Inhabitants Load(string path)
    {
        var municipalities = new List<Municipality>();
        var source = "";
        var header = true;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#'))
            {
                if (line.StartsWith("# Källa:", StringComparison.Ordinal))
                {
                    source = line["# Källa:".Length..].Trim();
                }
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            if (header)
            {
                header = false;
                continue;
            }
            var f = line.Split(',');
            if (f.Length != 5 || f[0].Length != 4 || !f[0].All(char.IsAsciiDigit) || f[2] != f[0][..2])
            {
                throw new InvalidDataException($"{FileName}: unreadable line '{line}'.");
            }
            municipalities.Add(new Municipality(f[0], f[1], f[2], f[3], f[4].Length == 0 ? null : long.Parse(f[4], NumberStyles.None, CultureInfo.InvariantCulture)));
        }
        return new Inhabitants(municipalities, source);
    }
}
