using System.Runtime.CompilerServices;

namespace TicketOps.Tests.Support;

/// <summary>Process-wide settings of the test host, applied before any test runs.</summary>
internal static class TestHostSetup
{
    /// <summary>
    /// Kestrel (the browser tests' app) and the in-memory hosts share this process with tests doing CPU-bound
    /// work on pool threads (MiniLM, parallel scans, clustering). On two cores the thread pool starts with two
    /// workers and adds about one a second when they are all busy, so a page request could wait long enough to
    /// hit the browser's timeout. A higher floor removes that wait; it does not change what is measured.
    /// </summary>
#pragma warning disable CA2255 // A module initializer is the one place that runs before xunit starts the tests.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RaiseThreadPoolFloor()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
