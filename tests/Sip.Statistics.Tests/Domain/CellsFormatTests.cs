using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sip.Statistics.Apis;
using Sip.Statistics.Domain;

namespace Sip.Statistics.Tests.Domain;

/// <summary>
/// Months of tables are kept with the <see cref="MeasuresApi.CellsFormat"/> of the code that made them, and served again
/// only by code of the same format. This test notices a change to what the cells are: when it fails, raise
/// <see cref="MeasuresApi.CellsFormat"/> (so months kept by the old code are made again, not served) and record the new
/// fingerprint here under the new format.
/// </summary>
public sealed class CellsFormatTests
{
    private static readonly Dictionary<int, string> Fingerprints = new()
    {
        [1] = "DAD8334758EAEE0709FBE1AFC7AB3212F6DE62C915C85C13E59085938DF557A4",
    };

    [Fact]
    public void The_cells_of_a_fixed_cube_are_what_this_cells_format_has_always_made()
    {
        var cube = RandomCube.Make("format", seed: 1016, facts: 3_000);
        var text = new StringBuilder();
        foreach (var measure in MeasureCatalog.All)
        {
            foreach (var by in MeasureCatalog.Dimensions.Keys)
            {
                var cells = MeasuresApi.Publish(measure, by, RandomCube.Rows(cube, measure, by), Suppression.DefaultThreshold);
                text.Append(measure.Name).Append('/').Append(by).Append(JsonSerializer.Serialize(cells)).Append('\n');
            }
        }
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));

        Assert.True(Fingerprints.TryGetValue(MeasuresApi.CellsFormat, out var expected), $"no fingerprint for format {MeasuresApi.CellsFormat}: record {fingerprint}");
        Assert.True(expected == fingerprint,
            $"The published cells changed (fingerprint {fingerprint}). Raise MeasuresApi.CellsFormat and record the new fingerprint under it.");
    }
}
