using System.Globalization;
using CsCheck;

namespace TicketOps.Tests.Faults;

/// <summary>
/// Runs a property over generated inputs, deterministically: input <c>i</c> of a run is generated from the
/// PCG seed <c>BaseSeed + i</c>, so CI sees the same inputs every time and a failure names the one seed that
/// reproduces it. CsCheck's own <c>Sample</c> picks fresh random seeds per run, which suits a developer's
/// machine but not a CI gate; its generators are what we use.
/// <para>
/// Sizes: <see cref="Iterations"/> is the CI size unless <c>TICKETOPS_FUZZ_ITERATIONS</c> says otherwise (the
/// full run in docs/reliability.md sets it); <c>TICKETOPS_FUZZ_SEED=N</c> replays just input N.
/// </para>
/// </summary>
internal static class Fuzz
{
    public const ulong BaseSeed = 20_261_203;

    private const uint Stream = 14;

    /// <summary>The number of inputs per property: the CI size given, or the environment's full size.</summary>
    public static int Iterations(int ciSize) =>
        int.TryParse(Environment.GetEnvironmentVariable("TICKETOPS_FUZZ_ITERATIONS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int full) && full > 0
            ? full
            : ciSize;

    /// <summary>
    /// Checks <paramref name="property"/> on <paramref name="ciSize"/> generated inputs (or the full size);
    /// returns how many were tried. A failure is rethrown naming the seed and the input.
    /// </summary>
    public static async Task<int> CheckAsync<T>(Gen<T> gen, int ciSize, Func<T, Task> property, Func<T, string> describe, Func<T, (string Name, byte[] Bytes)>? input = null)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(describe);
        IEnumerable<ulong> seeds = ulong.TryParse(Environment.GetEnvironmentVariable("TICKETOPS_FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong only)
            ? [only]
            : Enumerable.Range(0, Iterations(ciSize)).Select(i => BaseSeed + (ulong)i);
        int tried = 0;
        foreach (ulong seed in seeds)
        {
            T value = gen.Generate(new PCG(Stream, seed), null, out _);
            try
            {
                await property(value);
            }
            catch (Exception exception)
            {
                string kept = input is null ? "" : " (input kept in " + Keep(seed, input(value)) + "; add it to tests/TicketOps.Tests/Faults/Regressions)";
                throw new FuzzFailure($"fuzz input failed; replay with TICKETOPS_FUZZ_SEED={seed}: {describe(value)}{kept}", exception);
            }

            tried++;
        }

        return tried;
    }

    private static string Keep(ulong seed, (string Name, byte[] Bytes) input)
    {
        string folder = Path.Combine(Path.GetTempPath(), "ticketops-fuzz-failures");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, $"{seed}-{input.Name}");
        File.WriteAllBytes(path, input.Bytes);
        return path;
    }
}

/// <summary>A property that failed on a generated input; the message names the seed that replays it.</summary>
internal sealed class FuzzFailure(string message, Exception inner) : Exception(message, inner);
