using System.Text.Json;
using System.Text.Json.Nodes;
using Sip.ServiceDefaults.Data;

namespace Sip.Case.Domain;

/// <summary>A field that differs between two plan contents, by its JSON path (e.g. <c>shortTermGoals[0].activities[1].timing</c>).</summary>
public sealed record PlanChange(string Path, JsonNode? Before, JsonNode? After);

/// <summary>What changed between two versions or revisions of a plan: for comparing versions and for telling a 412 what happened meanwhile.</summary>
public static class PlanDiff
{
    public static IReadOnlyList<PlanChange> Between(PlanContent before, PlanContent after)
    {
        var changes = new List<PlanChange>();
        Compare("", JsonSerializer.SerializeToNode(before, JsonColumns.Options), JsonSerializer.SerializeToNode(after, JsonColumns.Options), changes);
        return changes;
    }

    private static void Compare(string path, JsonNode? a, JsonNode? b, List<PlanChange> changes)
    {
        switch (a, b)
        {
            case (JsonObject x, JsonObject y):
                foreach (var key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                {
                    Compare(path.Length == 0 ? key : $"{path}.{key}", x[key], y[key], changes);
                }
                break;
            case (JsonArray x, JsonArray y):
                for (var i = 0; i < Math.Max(x.Count, y.Count); i++)
                {
                    Compare($"{path}[{i}]", i < x.Count ? x[i] : null, i < y.Count ? y[i] : null, changes);
                }
                break;
            default:
                if (!JsonNode.DeepEquals(a, b))
                {
                    changes.Add(new PlanChange(path, a?.DeepClone(), b?.DeepClone()));
                }
                break;
        }
    }
}
