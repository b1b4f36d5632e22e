using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>A test class sharing one app per class, with the app's logs in each test's output.</summary>
public abstract class WebTest<TFactory> : IClassFixture<TFactory>
    where TFactory : TicketOpsWebFactory
{
    protected WebTest(TFactory app, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(app);
        App = app;
        App.Output = output;
    }

    protected TFactory App { get; }
}
