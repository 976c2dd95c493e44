using Empower.Sync.Lake.Schema;
using Empower.Sync.Lake.Storage;
using Empower.Sync.Lake.Writing;

namespace Empower.Cli.Demo;

/// <summary>
/// The demo's lake: Delta tables of accounts and of 2.5 contacts per account (contacts point at their account by
/// account number), with a few deliberately bad rows: negative employee counts, first names longer than Dataverse
/// allows, and contacts of companies that do not exist.
/// </summary>
public static class SampleLake
{
    public const int RowsPerFile = 25_000;

    public static string Accounts(string root) => Path.Combine(root, "lake", "accounts");

    public static string Contacts(string root) => Path.Combine(root, "lake", "contacts");

    private static readonly int[] BadAccounts = [7, 11];

    /// <summary>
    /// Rows that fail on purpose: bad accounts; contacts with bad values or a company that does not exist; and contacts
    /// of the bad accounts, whose lookup then has nothing to point at.
    /// </summary>
    public static (int Accounts, int Contacts, int ContactsOfBadAccounts) BadRows(int accounts)
    {
        int contacts = ContactCount(accounts);
        int orphans = BadAccounts.Sum(b => (contacts - b + accounts - 1) / accounts);
        return (BadAccounts.Length, 3 + MissingCompanies(contacts), orphans);
    }

    public static int ContactCount(int accounts) => accounts * 5 / 2;

    /// <summary>One contact in 10,000 (at least one) belongs to a company that does not exist.</summary>
    private static int MissingCompanies(int contacts) => Math.Max(1, contacts / 10_000);

    private static bool HasMissingCompany(int i, int contacts) => contacts >= 10_000 ? i % 10_000 == 9_999 : i == contacts - 1;

    public static async Task WriteAsync(string root, int accounts, CancellationToken cancellationToken)
    {
        string[] cities = ["Lisbon", "Oslo", "Lyon", "Graz", "Porto", "Turin", "Ghent", "Bergen"];
        var accountSchema = Schema(("account_number", LakeTypeKind.String), ("name", LakeTypeKind.String), ("city", LakeTypeKind.String),
            ("employees", LakeTypeKind.Long));
        await WriteAsync(Accounts(root), accountSchema, accounts,
            i => [Number(i), $"Company {i}", cities[i % cities.Length], BadAccounts.Contains(i) ? -5L : 10L + (i % 5000)], cancellationToken);

        int contacts = ContactCount(accounts);
        var contactSchema = Schema(("email", LakeTypeKind.String), ("first_name", LakeTypeKind.String), ("last_name", LakeTypeKind.String),
            ("company", LakeTypeKind.String), ("children", LakeTypeKind.Long));
        await WriteAsync(Contacts(root), contactSchema, contacts, i =>
        [
            $"person{i}@example.com",
            i is 3 or 5 or 8 ? new string('x', 60) : $"First{i % 997}",
            $"Last{i}",
            HasMissingCompany(i, contacts) ? "NO-SUCH-COMPANY" : Number(i % accounts),
            (long)(i % 4),
        ], cancellationToken);
    }

    private static string Number(int i) => $"A-{i:D7}";

    private static async Task WriteAsync(string folder, LakeSchema schema, int rows, Func<int, object?[]> row, CancellationToken cancellationToken)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var writer = new DeltaAppendWriter(new LocalLakeStorage(folder), schema, TimeProvider.System);
        for (int start = 0; start < rows; start += RowsPerFile)
        {
            var chunk = Enumerable.Range(start, Math.Min(RowsPerFile, rows - start)).Select(row).ToList();
            await writer.AppendAsync(chunk, "WRITE", cancellationToken);
        }
    }

    private static LakeSchema Schema(params (string Name, LakeTypeKind Kind)[] columns) =>
        new(columns.Select(c => new LakeField(c.Name, LakeDataType.Primitive(c.Kind))).ToList());
}
