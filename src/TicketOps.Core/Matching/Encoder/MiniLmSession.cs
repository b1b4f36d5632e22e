using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace TicketOps.Core.Matching.Encoder;

/// <summary>
/// Runs all-MiniLM-L6-v2 on batches of word-piece ids and mean-pools the token vectors into unit sentence
/// vectors: what the SentenceTransformers package's encoder does, without its per-element tensor indexing
/// and with the batch shaped by the caller (tokens are counted before, so a batch is padded only to its own
/// longest member). Thread-safe: ONNX Runtime allows concurrent runs of one session.
/// </summary>
internal sealed class MiniLmSession : IDisposable
{
    public const int Dimensions = 384;

    private const string OutputName = "last_hidden_state";
    private static readonly string[] s_inputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] s_outputNames = [OutputName];

    private readonly InferenceSession _session;
    private readonly Microsoft.ML.OnnxRuntime.SessionOptions _options;

    public MiniLmSession(byte[] model, int intraOpThreads)
    {
        _options = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(model, _options);
    }

    /// <summary>The graph output the sentence vectors are pooled from.</summary>
    public static IReadOnlyCollection<string> PooledOutput { get; } = [OutputName];

    /// <summary>Encodes sequences of word-piece ids (each with its [CLS] and [SEP]) into unit vectors.</summary>
    public float[][] Encode(IReadOnlyList<int[]> sequences, CancellationToken cancellationToken)
    {
        int batch = sequences.Count;
        int length = sequences.Max(s => s.Length);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        var types = new long[batch * length];
        for (int b = 0; b < batch; b++)
        {
            int[] sequence = sequences[b];
            for (int t = 0; t < sequence.Length; t++)
            {
                ids[(b * length) + t] = sequence[t];
                mask[(b * length) + t] = 1;
            }
        }

        long[] shape = [batch, length];
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using OrtValue typesValue = OrtValue.CreateTensorValueFromMemory(types, shape);
        using var runOptions = new RunOptions();
        using CancellationTokenRegistration registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, s_inputNames, [idsValue, maskValue, typesValue], s_outputNames);
        cancellationToken.ThrowIfCancellationRequested();

        // Mean over the real tokens of each sequence (padding excluded), then unit length.
        ReadOnlySpan<float> hidden = outputs[0].GetTensorDataAsSpan<float>();
        var vectors = new float[batch][];
        for (int b = 0; b < batch; b++)
        {
            var vector = new float[Dimensions];
            int tokens = sequences[b].Length;
            for (int t = 0; t < tokens; t++)
            {
                TensorPrimitives.Add(vector, hidden.Slice(((b * length) + t) * Dimensions, Dimensions), vector);
            }

            TensorPrimitives.Divide(vector, Math.Max(tokens, 1), vector);
            float norm = TensorPrimitives.Norm(vector);
            TensorPrimitives.Divide(vector, MathF.Max(norm, 1e-12f), vector);
            vectors[b] = vector;
        }

        return vectors;
    }

    public void Dispose()
    {
        _session.Dispose();
        _options.Dispose();
    }
}
