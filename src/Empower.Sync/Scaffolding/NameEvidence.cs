using Empower.Sync.Suggestions;

namespace Empower.Sync.Scaffolding;

/// <summary>
/// Why a source column's name points at an attribute, strongest reason first: the rank orders competing guesses, the
/// text is what <c>empower init</c> prints beside the mapping so a person can judge it.
/// </summary>
internal static class NameEvidence
{
    // What Spark exports usually call a standard column; only names a person would recognise at once.
    private static readonly Dictionary<string, string[]> Usual = new(StringComparer.Ordinal)
    {
        ["email"] = ["emailaddress1"],
        ["mail"] = ["emailaddress1"],
        ["phone"] = ["telephone1"],
        ["telephone"] = ["telephone1"],
        ["phonenumber"] = ["telephone1"],
        ["mobile"] = ["mobilephone"],
        ["website"] = ["websiteurl"],
        ["url"] = ["websiteurl"],
        ["zip"] = ["address1_postalcode"],
        ["zipcode"] = ["address1_postalcode"],
        ["postcode"] = ["address1_postalcode"],
        ["company"] = ["parentcustomerid", "companyname"],
        ["employees"] = ["numberofemployees"],
        ["title"] = ["jobtitle"],
        ["birthday"] = ["birthdate"],
        ["dateofbirth"] = ["birthdate"],
        ["dob"] = ["birthdate"],
        ["gender"] = ["gendercode"],
        ["industry"] = ["industrycode"],
        ["status"] = ["statuscode"],
    };

    /// <summary>The rank (0 strongest) and wording of the best reason <paramref name="column"/> names <paramref name="attribute"/>, or null.</summary>
    public static (int Rank, string Text)? Of(string column, string attribute)
    {
        string c = Normal(column);
        string a = Normal(attribute);
        if (string.Equals(column, attribute, StringComparison.OrdinalIgnoreCase))
        {
            return (0, "same name");
        }

        if (c == a)
        {
            return (1, "same name, ignoring case and separators");
        }

        int prefix = attribute.IndexOf('_', StringComparison.Ordinal);
        if (prefix > 0 && c == Normal(attribute[(prefix + 1)..]))
        {
            return (2, $"same name without the prefix '{attribute[..(prefix + 1)]}'");
        }

        if (Usual.TryGetValue(c, out var usual) && usual.Contains(attribute, StringComparer.OrdinalIgnoreCase))
        {
            return (3, $"'{column}' is a usual name for '{attribute}'");
        }

        if (c.Length >= 4 && (a.EndsWith(c, StringComparison.Ordinal) || a.StartsWith(c, StringComparison.Ordinal)))
        {
            return (4, $"'{attribute}' {(a.EndsWith(c, StringComparison.Ordinal) ? "ends" : "starts")} with '{column}'");
        }

        return c.Length >= 6 && NearestName.Suggest(c, [a]).Length > 0 ? (5, $"'{column}' is spelt like '{attribute}'") : null;
    }

    /// <summary>Lower case, without the separators Spark and Dataverse names differ by.</summary>
    public static string Normal(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();
}
