using System.Runtime.InteropServices;
using System.Text;

namespace TicketOps.Core.Storage;

/// <summary>
/// Writes a file so that a crash or power cut at any moment leaves either the old content or the new, never
/// half of it: the text goes to a temporary file beside the target, is flushed to the disk, renamed over the
/// target (an atomic step on one file system) and the folder's entry is flushed too. A rename without the
/// flushes can, after a power cut, leave an empty file under the new name.
/// </summary>
public static partial class DurableFile
{
    /// <summary>Suffix of the temporary files; a crash can leave one behind, which <see cref="RemoveLeftovers"/> deletes.</summary>
    public const string TemporarySuffix = ".partial";

    /// <summary>Replaces <paramref name="path"/>'s content with <paramref name="text"/> (UTF-8, no byte order mark).</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(text);
        string temporary = TemporaryFor(path);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(new UTF8Encoding(false).GetBytes(text), cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FlushFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>The synchronous form of <see cref="WriteAllTextAsync"/>, for undo paths that must not be cancelled.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllTextAsync(path, text, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>A fresh temporary name beside <paramref name="path"/>.</summary>
    public static string TemporaryFor(string path) => $"{path}.{Guid.NewGuid():N}"[..(path.Length + 9)] + TemporarySuffix;

    /// <summary>Flushes a written file's content to the disk.</summary>
    public static void Flush(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Flushes a folder's entries (a rename into it) to the disk; a no-op where the platform cannot.</summary>
    public static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        int descriptor = Open(folder, 0);
        if (descriptor < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(descriptor);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Deletes the temporary files a crash left under <paramref name="folder"/>; returns how many.</summary>
    public static int RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        int removed = 0;
        foreach (string leftover in Directory.EnumerateFiles(folder, "*" + TemporarySuffix, SearchOption.AllDirectories))
        {
            File.Delete(leftover);
            removed++;
        }

        return removed;
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
