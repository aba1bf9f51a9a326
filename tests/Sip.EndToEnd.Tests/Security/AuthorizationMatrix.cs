namespace Sip.EndToEnd.Tests.Security;

/// <summary>
/// <c>authorization-matrix.csv</c>: one row per operation, one column per role, each cell the status the access rules
/// (docs/architecture.md) expect: an exact code ("404") or a class ("2xx"). <c>actual-today</c> lists known defects as
/// <c>role=code</c> pairs separated by ';' — what the platform answers today where that differs from the rule; the test
/// holds the platform to it, so a fix or any other change fails the test until the row is updated.
/// </summary>
public sealed record MatrixRow(string Operation, IReadOnlyDictionary<string, string> Expected, IReadOnlyDictionary<string, string> ActualToday, string Note)
{
    public static bool Matches(string expected, int status) =>
        expected.EndsWith("xx", StringComparison.Ordinal) ? status / 100 == expected[0] - '0' : int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture) == status;
}

public static class AuthorizationMatrix
{
    public static readonly string FilePath = Path.Combine(AppContext.BaseDirectory, "Security", "authorization-matrix.csv");

    public static IReadOnlyDictionary<string, MatrixRow> Load()
    {
        var lines = File.ReadAllLines(FilePath).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var header = lines[0].Split(',');
        Assert.Equal(["operation", .. Cast.RoleNames, "actual-today", "note"], header);
        var rows = new Dictionary<string, MatrixRow>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',', header.Length);
            Assert.True(cells.Length == header.Length, $"authorization-matrix.csv: a row has {cells.Length} cells, not {header.Length}: {line}");
            var expected = Cast.RoleNames.Select((role, i) => (role, cell: cells[i + 1].Trim())).ToDictionary(x => x.role, x => x.cell);
            var actual = cells[^2].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => p[1]);
            Assert.True(rows.TryAdd(cells[0].Trim(), new MatrixRow(cells[0].Trim(), expected, actual, cells[^1].Trim())), $"authorization-matrix.csv names {cells[0]} twice");
        }
        return rows;
    }
}
