using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace TicketOps.Tests.Faults;

/// <summary>
/// A digest of every row of every table of a SQLite database, so a test can say "0 rows changed" about the
/// whole database rather than the table it thought of. Empty when the file does not exist yet.
/// </summary>
internal static class DatabaseFingerprint
{
    public static string Of(string databasePath)
    {
        if (!File.Exists(databasePath))
        {
            return "(no database)";
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (SqliteCommand list = connection.CreateCommand())
        {
            // text_vectors is a cache of derived vectors, filled in the background after earlier requests: not a row a
            // request changed.
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'text_vectors' ORDER BY name";
            using SqliteDataReader reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var digest = new StringBuilder();
        foreach (string table in tables)
        {
            using SqliteCommand select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
            using SqliteDataReader rows = select.ExecuteReader();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            int count = 0;
            while (rows.Read())
            {
                count++;
                for (int i = 0; i < rows.FieldCount; i++)
                {
                    if (rows.GetName(i) == "LastUsedAt")
                    {
                        // Bookkeeping of authentication (a key's last use), written by any authenticated request.
                        continue;
                    }

                    hash.AppendData(Encoding.UTF8.GetBytes(Convert.ToString(rows.GetValue(i), CultureInfo.InvariantCulture) + "\u001f"));
                }
            }

            digest.Append(CultureInfo.InvariantCulture, $"{table}:{count}:{Convert.ToHexString(hash.GetHashAndReset())[..16]} ");
        }

        return digest.ToString();
    }

    /// <summary>Rows per table, for messages.</summary>
    public static long Rows(string databasePath, string table)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using SqliteCommand count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)count.ExecuteScalar()!;
    }
}
