using System.Globalization;
using System.Text.Json.Nodes;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;
using Empower.Dataverse.Emulator.Store;

namespace Empower.Dataverse.Emulator.Records;

/// <summary>
/// The annotations <c>Prefer: odata.include-annotations</c> asks for, as "Formatted values" in Microsoft's "Query data using the Web API"
/// documents them: <c>@OData.Community.Display.V1.FormattedValue</c> on choices (the label), yes/no columns, numbers, money, dates and
/// lookups (the related record's primary name), and on lookups <c>@Microsoft.Dynamics.CRM.lookuplogicalname</c> and
/// <c>…associatednavigationproperty</c>. Formatting is an English (United States) user's, in UTC: a real org formats for the calling user.
/// </summary>
internal sealed class RecordAnnotations
{
    public const string FormattedValue = "OData.Community.Display.V1.FormattedValue";
    public const string LookupLogicalName = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public const string NavigationProperty = "Microsoft.Dynamics.CRM.associatednavigationproperty";

    private static readonly CultureInfo Format = CultureInfo.InvariantCulture;
    private readonly StoreSession _session;
    private readonly bool _formatted;
    private readonly bool _lookupName;
    private readonly bool _navigation;

    private RecordAnnotations(StoreSession session, ApiRequest request)
    {
        _session = session;
        _formatted = request.IncludesAnnotation(FormattedValue);
        _lookupName = request.IncludesAnnotation(LookupLogicalName);
        _navigation = request.IncludesAnnotation(NavigationProperty);
    }

    /// <summary>The annotations the request asks for; null when it asks for none.</summary>
    public static RecordAnnotations? For(ApiRequest request, StoreSession session)
    {
        var annotations = new RecordAnnotations(session, request);
        return annotations._formatted || annotations._lookupName || annotations._navigation ? annotations : null;
    }

    public void Add(JsonObject json, AttributeDefinition attribute, object? stored)
    {
        if (stored is null)
        {
            return;
        }

        string name = attribute.ReadName;
        if (_formatted && Formatted(attribute, stored) is { } text)
        {
            json[$"{name}@{FormattedValue}"] = text;
        }

        if (attribute.Type == AttributeType.Lookup)
        {
            if (_navigation)
            {
                json[$"{name}@{NavigationProperty}"] = attribute.EffectiveNavigationProperty;
            }

            if (_lookupName)
            {
                json[$"{name}@{LookupLogicalName}"] = attribute.Target;
            }
        }
    }

    private string? Formatted(AttributeDefinition attribute, object stored) => attribute.Type switch
    {
        AttributeType.Choice => attribute.Options.FirstOrDefault(o => o.Value == Convert.ToInt64(stored, Format))?.Label,
        AttributeType.Boolean => Convert.ToInt64(stored, Format) != 0 ? "Yes" : "No",
        AttributeType.Integer => Convert.ToInt64(stored, Format).ToString("N0", Format),
        AttributeType.Decimal => decimal.Parse((string)stored, Format).ToString($"N{attribute.Precision ?? 2}", Format),
        AttributeType.Money => "$" + decimal.Parse((string)stored, Format).ToString($"N{attribute.Precision ?? 2}", Format),
        AttributeType.Double => Convert.ToDouble(stored, Format).ToString($"N{attribute.Precision ?? 2}", Format),
        AttributeType.DateTime => FormatDate(attribute, (string)stored),
        AttributeType.Lookup => PrimaryName(attribute, (string)stored),
        _ => null,
    };

    private static string FormatDate(AttributeDefinition attribute, string stored)
    {
        var value = DateTimeOffset.Parse(stored, Format, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        return value.ToString(attribute.DateTimeBehavior == DateTimeBehavior.DateOnly ? "M/d/yyyy" : "M/d/yyyy h:mm tt", Format);
    }

    private string? PrimaryName(AttributeDefinition lookup, string id)
    {
        var target = _session.Schema.FindByLogicalName(lookup.Target!);
        return target is not null && Guid.TryParse(id, out var guid) && _session.Get(target, guid) is { } related
            ? related.GetValueOrDefault(target.PrimaryNameAttribute) as string
            : null;
    }
}
