using TicketOps.Core.Matching;

namespace TicketOps.Core.Tests.Matching;

/// <summary>One real MiniLM model for all tests that need embeddings (loading it costs about a second).</summary>
public sealed class EmbedderFixture : IDisposable
{
    public SentenceEmbedder Embedder { get; } = new();

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class MiniLMGroup : ICollectionFixture<EmbedderFixture>
{
    public const string Name = "MiniLM";
}

/// <summary>A fresh temp folder per test, deleted afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ticketops-match-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a lingering temp folder is not a test failure.
        }
    }
}

/// <summary>Builds match documents with sensible defaults.</summary>
public static class Documents
{
    public static MatchDocument Playbook(string id, string title, string resolution, string? product = null, string? version = null) => new()
    {
        Id = id,
        Kind = MatchDocumentKind.Playbook,
        Title = title,
        Resolution = resolution,
        Product = product,
        Version = version,
    };

    public static MatchDocument Case(string id, string title, string body, string resolution = "", string? product = null, string? component = null) => new()
    {
        Id = id,
        Kind = MatchDocumentKind.Case,
        Title = title,
        Body = body,
        Resolution = resolution,
        Product = product,
        Component = component,
    };
}
