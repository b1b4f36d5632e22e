using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TicketOps.Core.Access;
using TicketOps.Core.Storage;

namespace TicketOps.Web.Access;

/// <summary>
/// The data-protection key ring in the database (<see cref="KeyRingEntry"/>) instead of a folder in the user's
/// profile: instances behind one load balancer share it (a session cookie from one is valid on all), and a
/// container that loses its home directory on restart does not sign everybody out.
/// </summary>
internal sealed class DatabaseKeyRing(IServiceProvider services) : IXmlRepository
{
    /// <summary>Uses the database's key ring for the app's cookies and antiforgery tokens.</summary>
    public static IServiceCollection AddDatabaseKeyRing(IServiceCollection services)
    {
        // One application name on every instance: keys are isolated per application name.
        services.AddDataProtection().SetApplicationName("TicketOps");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DatabaseKeyRing(provider)));
        return services;
    }

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using IServiceScope scope = services.CreateScope();
        TicketOpsDbContext db = scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>();
        return [.. db.Set<KeyRingEntry>().AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using IServiceScope scope = services.CreateScope();
        TicketOpsDbContext db = scope.ServiceProvider.GetRequiredService<TicketOpsDbContext>();
        db.Add(new KeyRingEntry { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
