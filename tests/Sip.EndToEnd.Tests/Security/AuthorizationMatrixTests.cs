using System.Diagnostics;
using System.Text;

namespace Sip.EndToEnd.Tests.Security;

/// <summary>
/// Every operation of every OpenAPI document the gateway serves, called as every role against a seeded case, answers what
/// <c>Security/authorization-matrix.csv</c> says (issue 13). An operation without a row, or a row without an operation, fails.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_operation_answers_every_role_as_the_authorization_matrix_says()
    {
        var clock = Stopwatch.StartNew();
        var operations = await OpenApiCatalog.LoadAsync(Ct);
        var table = AuthorizationMatrix.Load();
        var failures = new List<string>();
        failures.AddRange(operations.Where(op => !table.ContainsKey(op.Key)).Select(op => $"{op.Key} ({op.Document}) has no row in authorization-matrix.csv"));
        failures.AddRange(table.Keys.Except(operations.Select(op => op.Key)).Select(key => $"authorization-matrix.csv has a row for {key}, which no document has any more"));

        var cast = Cast.Demo();
        var observed = new Dictionary<string, Dictionary<string, int>>();
        var scenario = await Scenario.SeedAsync(cast, Ct);
        var seeds = 1;
        var dirty = false;
        // Reads first, on one scenario; then each unsafe operation, with a fresh scenario whenever an earlier request changed it.
        // An operation without a row is already a failure; it is not called (its request may need an example too).
        foreach (var op in operations.Where(op => table.ContainsKey(op.Key)).OrderBy(op => op.Unsafe))
        {
            var opClock = Stopwatch.StartNew();
            var answers = observed[op.Key] = [];
            foreach (var roleName in Cast.RoleNames)
            {
                if (dirty)
                {
                    (scenario, dirty) = (await Scenario.SeedAsync(cast, Ct), false);
                    seeds++;
                }
                var role = cast[roleName];
                var call = scenario.ValidCall(op, role);
                using var client = role.Client();
                var response = await scenario.SendAsync(client, call, Ct);
                // A consumer of the seeding's own events (the summons sent, the plan signed) may be writing the case row at
                // that moment: the API then asks the caller to read again and retry (409 concurrent-change), as a client would.
                for (var retry = 0; retry < 3 && response.StatusCode == System.Net.HttpStatusCode.Conflict
                    && (await response.Content.ReadAsStringAsync(Ct)).Contains("urn:sip:problem:concurrent-change", StringComparison.Ordinal); retry++)
                {
                    response.Dispose();
                    await Task.Delay(500, Ct);
                    response = await scenario.SendAsync(client, call, Ct);
                }
                using var _ = response;
                var status = (int)response.StatusCode;
                answers[roleName] = status;
                dirty |= op.Unsafe && status is >= 200 and < 300;
                var row = table[op.Key];
                var rule = row.Expected[roleName];
                var today = row.ActualToday.GetValueOrDefault(roleName);
                if (today is not null && !MatrixRow.Matches(today, status))
                {
                    failures.Add($"{op.Key} as {roleName}: known defect changed: actual-today says {today}, got {status} (the rule says {rule}); update the row");
                }
                else if (today is null && !MatrixRow.Matches(rule, status))
                {
                    var body = await response.Content.ReadAsStringAsync(Ct);
                    failures.Add($"{op.Key} as {roleName}: expected {rule}, got {status}: {body[..Math.Min(body.Length, 200)]}\n  {call.Reproducer}");
                }
            }
            if (opClock.Elapsed > TimeSpan.FromSeconds(5))
            {
                TestContext.Current.SendDiagnosticMessage($"{op.Key}: {opClock.Elapsed.TotalSeconds:F1} s");
            }
        }
        WriteObserved(operations, observed, table);
        TestContext.Current.SendDiagnosticMessage($"authorization matrix: {operations.Count} operations × {Cast.RoleNames.Length} roles, {seeds} scenarios, {clock.Elapsed.TotalSeconds:F0} s");
        var known = table.Values.Sum(r => r.ActualToday.Count);
        Assert.True(failures.Count == 0, $"{failures.Count} problem(s) with authorization-matrix.csv ({known} known defect(s) marked actual-today):\n" + string.Join('\n', failures));
    }

    /// <summary>With SIP_MATRIX_OBSERVED=file, the table as the platform answers it today: a starting point for reviewing a new row, never a copy to paste blindly.</summary>
    private static void WriteObserved(IReadOnlyList<Operation> operations, Dictionary<string, Dictionary<string, int>> observed, IReadOnlyDictionary<string, MatrixRow> table)
    {
        if (Environment.GetEnvironmentVariable("SIP_MATRIX_OBSERVED") is not { Length: > 0 } file)
        {
            return;
        }
        var csv = new StringBuilder($"operation,{string.Join(',', Cast.RoleNames)},actual-today,note\n");
        foreach (var op in operations.Where(op => observed.ContainsKey(op.Key)))
        {
            csv.Append(op.Key).Append(',').Append(string.Join(',', Cast.RoleNames.Select(r => observed[op.Key][r])))
                .Append(",,").Append(table.GetValueOrDefault(op.Key)?.Note).Append('\n');
        }
        File.WriteAllText(file, csv.ToString());
    }
}
