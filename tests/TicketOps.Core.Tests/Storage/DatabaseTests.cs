using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using TicketOps.Core.Cases;
using TicketOps.Core.Storage;
using TicketOps.Core.Tests.Support;
using TicketOps.TestSupport;

namespace TicketOps.Core.Tests.Storage;

public sealed class DatabaseTests
{
    private const string AddMigration =
        "Add a migration for BOTH providers: 'dotnet ef migrations add NAME --project src/TicketOps.Core --context SqliteTicketOpsDbContext -o Storage/Migrations/Sqlite' " +
        "and the same with '--context PostgreSqlTicketOpsDbContext -o Storage/Migrations/PostgreSql' (README, Development).";

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public void Model_has_no_changes_missing_from_the_providers_migrations(DatabaseProvider provider)
    {
        // Building the model needs no server: the connection is never opened.
        DatabaseLocation location = provider == DatabaseProvider.Sqlite
            ? DatabaseLocation.SqliteFile(Path.Combine(Path.GetTempPath(), "ticketops-model-check.db"))
            : DatabaseLocation.Parse("Host=localhost;Database=model_check");
        using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(location);

        Assert.Equal(provider, db.Provider);
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: the model has changes no migration covers. {AddMigration}");
    }

    [Fact]
    public void Both_providers_have_the_same_tables_and_columns_in_their_migrations()
    {
        using TicketOpsDbContext sqlite = TicketOpsDatabase.CreateContext(DatabaseLocation.SqliteFile(Path.Combine(Path.GetTempPath(), "ticketops-model-check.db")));
        using TicketOpsDbContext postgres = TicketOpsDatabase.CreateContext(DatabaseLocation.Parse("Host=localhost;Database=model_check"));

        Assert.Equal(Columns(sqlite), Columns(postgres));
        Assert.NotEmpty(sqlite.Database.GetMigrations());
        Assert.NotEmpty(postgres.Database.GetMigrations());
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Migrate_creates_the_schema_once_and_reports_nothing_pending_after(DatabaseProvider provider)
    {
        string folder = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        DatabaseLocation location = provider == DatabaseProvider.PostgreSql
            ? PostgresTestServer.CreateEmptyDatabase()
            : DatabaseLocation.SqliteFile(Path.Combine(folder, "ticketops.db"));
        try
        {
            IReadOnlyList<string> first = await TicketOpsDatabase.MigrateAsync(location);
            IReadOnlyList<string> second = await TicketOpsDatabase.MigrateAsync(location);

            await using TicketOpsDbContext db = TicketOpsDatabase.CreateContext(location);
            Assert.Equal(db.Database.GetMigrations(), first);
            Assert.Empty(second);
            Assert.Equal(0, await db.Cases.CountAsync());
        }
        finally
        {
            if (provider == DatabaseProvider.PostgreSql)
            {
                PostgresTestServer.DropDatabase(location);
            }

            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Times_come_back_as_utc_whatever_kind_they_were_stored_with(DatabaseProvider provider)
    {
        using var temp = new TempDataDirectory(provider);
        var unspecified = new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Unspecified);
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            db.Cases.Add(new SupportCase { Source = "t", ExternalId = "1", Title = "a", Description = "b", CreatedAt = unspecified, ResolvedAt = unspecified.AddHours(2), ContentHash = "h", ImportedAt = unspecified, UpdatedAt = unspecified });
            await db.SaveChangesAsync();
        }

        await using TicketOpsDbContext check = temp.CreateContext();
        SupportCase stored = await check.Cases.SingleAsync(c => c.CreatedAt >= unspecified && c.CreatedAt < unspecified.AddMinutes(1));

        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
        Assert.Equal(new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc), stored.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, stored.ResolvedAt!.Value.Kind);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    public async Task Text_compares_case_sensitively_and_sorts_by_bytes_on_both_providers(DatabaseProvider provider)
    {
        using var temp = new TempDataDirectory(provider);
        string[] ids = ["b-2", "B-1", "a-3", "_x", "A-2"];
        await using (TicketOpsDbContext db = temp.CreateContext())
        {
            foreach (string id in ids)
            {
                db.Cases.Add(new SupportCase { Source = "t", ExternalId = id, Title = new string('t', 5_000), Description = "b", CreatedAt = DateTime.UtcNow, ContentHash = "h" });
            }

            await db.SaveChangesAsync();
        }

        await using TicketOpsDbContext check = temp.CreateContext();
        List<string> sorted = await check.Cases.OrderBy(c => c.ExternalId).Select(c => c.ExternalId).ToListAsync();

        Assert.Equal(ids.Order(StringComparer.Ordinal), sorted);
        Assert.Equal(0, await check.Cases.CountAsync(c => c.ExternalId == "b-1"));
        Assert.Equal(1, await check.Cases.CountAsync(c => c.ExternalId.Contains("B-")));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "20261203111712_TextVectors")]
    [InlineData(DatabaseProvider.PostgreSql, "20261203111736_TextVectors")]
    public async Task Cases_stored_before_ownership_history_existed_read_back_with_an_empty_history_after_migrating(DatabaseProvider provider, string before)
    {
        using var temp = new TempDataDirectory(provider);
        DateTime created = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (TicketOpsDbContext old = temp.CreateContext())
        {
            // Back to the schema before the queue columns (their Down migration), then a row as that schema stored it.
            await old.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(before);
            await old.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO cases ("Source", "ExternalId", "Title", "Description", "Team", "Status", "IsTechnical", "CreatedAt", "ResolvedAt", "EvidenceSteps", "Resolution",
                    "EngineeringInvolved", "EscalationReturnedForMissingContext", "LinkedKnowledgeIds", "Comments", "Tags", "ContentHash", "ImportedAt", "UpdatedAt")
                VALUES ('old', 'O-1', 'Old case', '', 'Tier 1', 'Resolved', {true}, {created}, {created.AddDays(1)}, '[]', 'fixed', {false}, {false}, '[]', '[]', '[]', '', {created.AddDays(2)}, {created.AddDays(2)})
                """);
        }

        await TicketOpsDatabase.MigrateAsync(temp.Data);

        await using TicketOpsDbContext db = temp.CreateContext();
        SupportCase stored = await db.Cases.SingleAsync();
        Assert.Empty(stored.Handoffs);
        Assert.Null(stored.Customer);
        Assert.Equal(OwnershipDepth.Frontline, OwnershipDepths.FinalDepth(stored));
    }

    [Fact]
    public async Task Sqlite_connections_use_write_ahead_logging_and_a_busy_timeout()
    {
        using var temp = new TempDataDirectory();
        await using TicketOpsDbContext db = temp.CreateContext();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();

        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal(((int)TicketOpsDatabase.BusyTimeout.TotalMilliseconds).ToString(), Pragma(connection, "busy_timeout"));
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "SQLite 3.")]
    [InlineData(DatabaseProvider.PostgreSql, "PostgreSQL 1")]
    public async Task Server_version_names_the_engine(DatabaseProvider provider, string expectedStart)
    {
        using var temp = new TempDataDirectory(provider);
        await using TicketOpsDbContext db = temp.CreateContext();

        Assert.StartsWith(expectedStart, await TicketOpsDatabase.ServerVersionAsync(db), StringComparison.Ordinal);
    }

    [Fact]
    public void Data_directory_comes_from_the_option_before_the_environment()
    {
        string explicitPath = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));

        DataDirectory resolved = DataDirectory.Resolve(explicitPath);

        Assert.Equal(explicitPath, resolved.Root);
        Assert.True(Directory.Exists(explicitPath));
        Assert.Equal(Path.Combine(explicitPath, "ticketops.db"), resolved.DatabasePath);
        Assert.Equal(DatabaseProvider.Sqlite, resolved.Database.Provider);
        Assert.Equal(resolved.DatabasePath, resolved.Database.Description);
        Directory.Delete(explicitPath);
    }

    [Theory]
    [InlineData("Host=db.internal;Port=5433;Database=ticketops;Username=ops;Password=s3cret", "PostgreSQL db.internal:5433/ticketops as ops")]
    [InlineData("postgresql://ops:s3cret@db.internal:5433/ticketops?sslmode=disable", "PostgreSQL db.internal:5433/ticketops as ops")]
    [InlineData("postgres://db.internal/ticketops", "PostgreSQL db.internal:5432/ticketops")]
    public void A_postgresql_setting_is_read_and_described_without_its_password(string setting, string description)
    {
        DatabaseLocation location = DatabaseLocation.Parse(setting);

        Assert.Equal(DatabaseProvider.PostgreSql, location.Provider);
        Assert.Equal(description, location.Description);
        Assert.DoesNotContain("s3cret", location.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_without_an_equals_sign_is_a_sqlite_file()
    {
        DatabaseLocation location = DatabaseLocation.Parse("shared/ticketops.db");

        Assert.Equal(DatabaseProvider.Sqlite, location.Provider);
        Assert.Equal(Path.GetFullPath("shared/ticketops.db"), location.Description);
    }

    [Theory]
    [InlineData("Host=db;Colour=blue", "Colour")]
    [InlineData("Database=ticketops", "Host")]
    [InlineData("postgresql://db/ticketops?nonsense=1", "nonsense")]
    public void A_broken_postgresql_setting_is_refused_naming_what_is_wrong(string setting, string named)
    {
        FormatException error = Assert.Throws<FormatException>(() => DatabaseLocation.Parse(setting));

        Assert.Contains(named, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_explicit_database_wins_over_the_configured_one()
    {
        DatabaseLocation location = DatabaseLocation.Resolve("Host=a;Database=x", "Host=b;Database=y", "/tmp/unused.db");

        Assert.Equal("PostgreSQL a:5432/x", location.Description);
        Assert.Equal("/tmp/default.db", DatabaseLocation.Resolve(null, null, "/tmp/default.db").Description);
    }

    private static List<string> Columns(TicketOpsDbContext db) =>
        [.. db.Model.GetRelationalModel().Tables.SelectMany(t => t.Columns.Select(c => $"{t.Name}.{c.Name}")).Order(StringComparer.Ordinal)];

    private static string? Pragma(SqliteConnection connection, string name)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return command.ExecuteScalar()?.ToString();
    }
}
