using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace TicketOps.Core.Matching.Encoder;

/// <summary>
/// Int8 dynamic quantization of an ONNX transformer, done the way ONNX Runtime's own dynamic quantizer does
/// it, in .NET and from the model file alone (no Python, nothing downloaded): every <c>MatMul</c> whose
/// second input is a constant 2-D float weight becomes
/// <c>DynamicQuantizeLinear(A) → MatMulInteger(A_q, W_q) → Cast → Mul(A_scale × W_scale)</c>. Weights are
/// quantized symmetrically per output column (int8, zero point 0; one scale per column keeps the error of
/// each output feature proportional to its own range); activations are quantized per tensor to uint8 at
/// run time. ONNX Runtime fuses the chain into its <c>DynamicQuantizeMatMul</c> kernel, which uses the
/// CPU's int8 dot-product instructions (VNNI here). The attention products (activation × activation) stay
/// float. Graph outputs not asked for (the BERT pooler) are dropped with the nodes only they need.
/// </summary>
/// <remarks>The output is a pure function of the input bytes and <see cref="Version"/>: the same model
/// always gives the same file, so a vector's encoder id can name it.</remarks>
internal static class Int8Quantizer
{
    /// <summary>Changes whenever the rewrite changes (it is part of the encoder id that stored vectors carry).</summary>
    public const int Version = 1;

    // ONNX field numbers (onnx.proto, stable since IR version 3).
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphOutput = 12;
    private const int GraphValueInfo = 13;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int AttributeName = 1;
    private const int AttributeInt = 3;
    private const int AttributeType = 20;
    private const int AttributeTypeInt = 2;
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int ValueInfoName = 1;
    private const int FloatType = 1;
    private const int Int8Type = 3;

    /// <summary>What the rewrite did, for the tool's report and the tests.</summary>
    public sealed record Report(int QuantizedMatMuls, int FloatMatMuls, int RemovedNodes, long WeightBytesBefore, long WeightBytesAfter);

    /// <summary>Quantizes <paramref name="model"/>; keeps only the graph outputs named in <paramref name="keepOutputs"/>.</summary>
    /// <param name="model">The float ONNX model.</param>
    /// <param name="keepOutputs">Graph outputs to keep.</param>
    /// <param name="report">What was rewritten.</param>
    /// <param name="quantizeWeight">Which weights (by initializer name) to quantize; all when null.</param>
    public static byte[] Quantize(ReadOnlyMemory<byte> model, IReadOnlyCollection<string> keepOutputs, out Report report, Func<string, bool>? quantizeWeight = null)
    {
        ArgumentNullException.ThrowIfNull(keepOutputs);
        ProtoMessage modelMessage = ProtoMessage.Parse(model);
        int graphIndex = modelMessage.Fields.FindIndex(f => f.Number == ModelGraph);
        if (graphIndex < 0)
        {
            throw new InvalidDataException("The ONNX model has no graph.");
        }

        ProtoMessage graph = ProtoMessage.Parse(modelMessage.Fields[graphIndex].Bytes);
        var nodes = graph.Messages(GraphNode).ToList();
        var initializers = graph.Messages(GraphInitializer).ToDictionary(t => t.String(TensorName) ?? "", StringComparer.Ordinal);
        var outputs = graph.Messages(GraphOutput).Where(o => keepOutputs.Contains(o.String(ValueInfoName) ?? "")).ToList();
        if (outputs.Count != keepOutputs.Count)
        {
            throw new InvalidDataException($"The ONNX model lacks an output named {string.Join(", ", keepOutputs)}.");
        }

        int before = nodes.Count;
        nodes = LiveNodes(nodes, keepOutputs);
        var used = nodes.SelectMany(n => n.Strings(NodeInput)).ToHashSet(StringComparer.Ordinal);
        long weightBytesBefore = initializers.Values.Sum(t => (long)(t.Fields.FirstOrDefault(f => f.Number == TensorRawData).Bytes.Length));

        var rewritten = new List<ProtoMessage>(nodes.Count * 3);
        var newInitializers = new List<ProtoMessage>();
        var quantizedInputs = new HashSet<string>(StringComparer.Ordinal);
        var quantizedWeights = new HashSet<string>(StringComparer.Ordinal);
        int quantized = 0;
        int kept = 0;
        foreach (ProtoMessage node in nodes)
        {
            string[] inputs = [.. node.Strings(NodeInput)];
            if (node.String(NodeOpType) != "MatMul" || inputs.Length != 2 || !initializers.TryGetValue(inputs[1], out ProtoMessage? weight) || !IsFloatMatrix(weight) || quantizeWeight?.Invoke(inputs[1]) == false)
            {
                kept += node.String(NodeOpType) == "MatMul" ? 1 : 0;
                rewritten.Add(node);
                continue;
            }

            string a = inputs[0];
            string w = inputs[1];
            string y = node.String(NodeOutput)!;
            if (quantizedInputs.Add(a))
            {
                rewritten.Add(Node("DynamicQuantizeLinear", $"{a}_DynamicQuantizeLinear", [a], [$"{a}_quantized", $"{a}_scale", $"{a}_zero_point"]));
            }

            if (quantizedWeights.Add(w))
            {
                newInitializers.AddRange(QuantizeWeight(weight, w));
            }

            rewritten.Add(Node("MatMulInteger", $"{y}_MatMulInteger", [$"{a}_quantized", $"{w}_quantized", $"{a}_zero_point", $"{w}_zero_point"], [$"{y}_int32"]));
            rewritten.Add(Node("Mul", $"{y}_scale_Mul", [$"{a}_scale", $"{w}_scale"], [$"{y}_scale"]));
            rewritten.Add(Node("Cast", $"{y}_Cast", [$"{y}_int32"], [$"{y}_float"], ("to", FloatType)));
            rewritten.Add(Node("Mul", $"{y}_Mul", [$"{y}_float", $"{y}_scale"], [y]));
            quantized++;
        }

        // Float weights only the quantized MatMuls read are left out; every other initializer is kept as is.
        var stillUsed = rewritten.SelectMany(n => n.Strings(NodeInput)).ToHashSet(StringComparer.Ordinal);
        var keptInitializers = initializers.Where(pair => used.Contains(pair.Key) && stillUsed.Contains(pair.Key)).Select(pair => pair.Value).ToList();

        var newGraph = new ProtoMessage();
        newGraph.Fields.AddRange(graph.Fields.Where(f => f.Number is not (GraphNode or GraphInitializer or GraphOutput or GraphValueInfo)));
        foreach (ProtoMessage n in rewritten)
        {
            newGraph.AddMessage(GraphNode, n);
        }

        foreach (ProtoMessage t in keptInitializers.Concat(newInitializers))
        {
            newGraph.AddMessage(GraphInitializer, t);
        }

        foreach (ProtoMessage o in outputs)
        {
            newGraph.AddMessage(GraphOutput, o);
        }

        modelMessage.SetMessage(graphIndex, newGraph);
        long weightBytesAfter = keptInitializers.Concat(newInitializers).Sum(t => (long)t.Fields.FirstOrDefault(f => f.Number == TensorRawData).Bytes.Length);
        report = new Report(quantized, kept, before - nodes.Count, weightBytesBefore, weightBytesAfter);
        return modelMessage.ToBytes();
    }

    /// <summary>A short hex digest of a model file (the encoder id names the exact graph).</summary>
    public static string Digest(ReadOnlySpan<byte> model) => Convert.ToHexStringLower(SHA256.HashData(model))[..16];

    // The nodes the kept outputs depend on, in their original (topological) order.
    private static List<ProtoMessage> LiveNodes(List<ProtoMessage> nodes, IReadOnlyCollection<string> keepOutputs)
    {
        var needed = new HashSet<string>(keepOutputs, StringComparer.Ordinal);
        var live = new bool[nodes.Count];
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (nodes[i].Strings(NodeOutput).Any(needed.Contains))
            {
                live[i] = true;
                needed.UnionWith(nodes[i].Strings(NodeInput));
            }
        }

        return [.. nodes.Where((_, i) => live[i])];
    }

    private static bool IsFloatMatrix(ProtoMessage tensor) =>
        tensor.Integers(TensorDataType) is [FloatType] && tensor.Integers(TensorDims).Count == 2;

    // W [K, N] → W_quantized int8 [K, N], W_scale float [N], W_zero_point int8 [N] (zeros).
    private static ProtoMessage[] QuantizeWeight(ProtoMessage weight, string name)
    {
        List<long> dims = weight.Integers(TensorDims);
        int rows = checked((int)dims[0]);
        int columns = checked((int)dims[1]);
        (float[] scales, byte[] codes) = Quantize(FloatValues(weight, rows * columns), rows, columns);
        return
        [
            Tensor($"{name}_quantized", Int8Type, [rows, columns], codes),
            Tensor($"{name}_scale", FloatType, [columns], ProtoMessage.FloatBytes(scales)),
            Tensor($"{name}_zero_point", Int8Type, [columns], new byte[columns]),
        ];
    }

    // Every process that encodes runs this once on 21M weights, so it is compiled optimised from the first call.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float[] Scales, byte[] Codes) Quantize(ReadOnlySpan<float> values, int rows, int columns)
    {

        var scales = new float[columns];
        for (int k = 0; k < rows; k++)
        {
            for (int n = 0; n < columns; n++)
            {
                scales[n] = MathF.Max(scales[n], MathF.Abs(values[(k * columns) + n]));
            }
        }

        for (int n = 0; n < columns; n++)
        {
            // A column of zeros keeps scale 1 so that dequantizing it stays exact (and finite).
            scales[n] = scales[n] > 0 ? scales[n] / 127f : 1f;
        }

        var codes = new byte[rows * columns];
        for (int k = 0; k < rows; k++)
        {
            for (int n = 0; n < columns; n++)
            {
                // Round half to even, as ONNX QuantizeLinear does.
                float q = MathF.Round(values[(k * columns) + n] / scales[n], MidpointRounding.ToEven);
                codes[(k * columns) + n] = (byte)(sbyte)Math.Clamp(q, -127f, 127f);
            }
        }

        return (scales, codes);
    }

    // raw_data, or float_data (packed fixed32): both little-endian float32.
    private static ReadOnlySpan<float> FloatValues(ProtoMessage tensor, int count)
    {
        ProtoField data = tensor.Fields.FirstOrDefault(f => f.Number == TensorRawData);
        if (data.Number != TensorRawData)
        {
            data = tensor.Fields.First(f => f.Number == TensorFloatData);
        }

        if (data.Bytes.Length != count * sizeof(float) || !BitConverter.IsLittleEndian)
        {
            throw new InvalidDataException($"Weight '{tensor.String(TensorName)}' has {data.Bytes.Length} bytes of data, expected {count * sizeof(float)} little-endian.");
        }

        return MemoryMarshal.Cast<byte, float>(data.Bytes.Span);
    }

    private static ProtoMessage Tensor(string name, int dataType, long[] dims, byte[] raw)
    {
        var tensor = new ProtoMessage();
        foreach (long d in dims)
        {
            tensor.AddVarint(TensorDims, d);
        }

        return tensor.AddVarint(TensorDataType, dataType).AddString(TensorName, name).AddBytes(TensorRawData, raw);
    }

    private static ProtoMessage Node(string opType, string name, string[] inputs, string[] outputs, (string Name, long Value)? intAttribute = null)
    {
        var node = new ProtoMessage();
        foreach (string input in inputs)
        {
            node.AddString(NodeInput, input);
        }

        foreach (string output in outputs)
        {
            node.AddString(NodeOutput, output);
        }

        node.AddString(NodeName, name).AddString(NodeOpType, opType);
        if (intAttribute is { } attribute)
        {
            node.AddMessage(NodeAttribute, new ProtoMessage().AddString(AttributeName, attribute.Name).AddVarint(AttributeInt, attribute.Value).AddVarint(AttributeType, AttributeTypeInt));
        }

        return node;
    }
}
