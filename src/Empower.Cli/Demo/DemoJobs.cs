using Empower.Sync.Jobs;

namespace Empower.Cli.Demo;

/// <summary>The demo's two jobs, also written next to the sample lake so they can be read, changed and run with <c>empower sync</c>.</summary>
public static class DemoJobs
{
    public static string AccountsJson(string root) => $$"""
        {
          "name": "demo-accounts",
          "source": { "path": {{Quote(SampleLake.Accounts(root))}}, "format": "delta" },
          "target": { "table": "account" },
          "mode": "upsert",
          "match": { "key": ["accountnumber"] },
          "columns": [
            { "source": "account_number", "attribute": "accountnumber" },
            { "source": "name", "attribute": "name" },
            { "source": "city", "attribute": "address1_city" },
            { "source": "employees", "attribute": "numberofemployees" }
          ]
        }
        """;

    public static string ContactsJson(string root) => $$"""
        {
          "name": "demo-contacts",
          "source": { "path": {{Quote(SampleLake.Contacts(root))}}, "format": "delta" },
          "target": { "table": "contact" },
          "mode": "upsert",
          "match": { "key": ["emailaddress1"] },
          "columns": [
            { "source": "email", "attribute": "emailaddress1" },
            { "source": "first_name", "attribute": "firstname" },
            { "source": "last_name", "attribute": "lastname" },
            { "source": "children", "attribute": "numberofchildren" },
            { "source": "company", "lookup": { "attribute": "parentcustomerid", "table": "account", "key": ["accountnumber"] } }
          ]
        }
        """;

    public static async Task<IReadOnlyList<JobDefinition>> WriteAsync(string root, CancellationToken cancellationToken)
    {
        var jobs = new List<JobDefinition>();
        foreach (var (name, json) in new[] { ("accounts.json", AccountsJson(root)), ("contacts.json", ContactsJson(root)) })
        {
            string path = Path.Combine(root, "jobs", name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, json, cancellationToken);
            jobs.Add(JobDefinitionLoader.Parse(json, name));
        }

        return jobs;
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
