using System.Text;
using System.Xml;
using Empower.Dataverse.Emulator.Protocol;
using Empower.Dataverse.Emulator.Schema;

namespace Empower.Dataverse.Emulator.Metadata;

/// <summary>
/// The <c>$metadata</c> document (OData CSDL 4.0 XML) generic OData clients read before their first request: one
/// <c>mscrm.{table}</c> entity type per table (key, properties with their Edm types, lookups as <c>_x_value</c> plus a
/// navigation property), the bulk actions and WhoAmI, and the <c>System</c> container of entity sets — the shape of a real org's
/// document ("Web API Service Documents"), limited to the emulator's schema.
/// </summary>
internal static class CsdlWriter
{
    private const string Edmx = "http://docs.oasis-open.org/odata/ns/edmx";
    private const string Edm = "http://docs.oasis-open.org/odata/ns/edm";
    private const string Namespace = "Microsoft.Dynamics.CRM";
    private static readonly string[] BulkActions = ["CreateMultiple", "UpdateMultiple", "UpsertMultiple"];

    public static ApiResponse Write(EmulatorSchema schema)
    {
        using var document = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
        using (var xml = XmlWriter.Create(document, settings))
        {
            xml.WriteStartElement("edmx", "Edmx", Edmx);
            xml.WriteAttributeString("Version", "4.0");
            xml.WriteStartElement("edmx", "DataServices", Edmx);
            xml.WriteStartElement("Schema", Edm);
            xml.WriteAttributeString("Namespace", Namespace);
            xml.WriteAttributeString("Alias", "mscrm");
            foreach (var table in schema.Tables)
            {
                EntityType(xml, table);
            }

            foreach (string action in BulkActions)
            {
                BoundAction(xml, action);
            }

            xml.WriteStartElement("Function", Edm);
            xml.WriteAttributeString("Name", "WhoAmI");
            xml.WriteStartElement("ReturnType", Edm);
            xml.WriteAttributeString("Type", "mscrm.WhoAmIResponse");
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("EntityContainer", Edm);
            xml.WriteAttributeString("Name", "System");
            foreach (var table in schema.Tables)
            {
                xml.WriteStartElement("EntitySet", Edm);
                xml.WriteAttributeString("Name", table.EntitySetName);
                xml.WriteAttributeString("EntityType", $"mscrm.{table.LogicalName}");
                foreach (var lookup in table.Attributes.Values.Where(a => a.Type == AttributeType.Lookup))
                {
                    xml.WriteStartElement("NavigationPropertyBinding", Edm);
                    xml.WriteAttributeString("Path", lookup.EffectiveNavigationProperty);
                    xml.WriteAttributeString("Target", schema.FindByLogicalName(lookup.Target!)!.EntitySetName);
                    xml.WriteEndElement();
                }

                xml.WriteEndElement();
            }

            xml.WriteStartElement("FunctionImport", Edm);
            xml.WriteAttributeString("Name", "WhoAmI");
            xml.WriteAttributeString("Function", "mscrm.WhoAmI");
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return new ApiResponse(200, Encoding.UTF8.GetString(document.ToArray()), "application/xml");
    }

    private static void EntityType(XmlWriter xml, TableDefinition table)
    {
        xml.WriteStartElement("EntityType", Edm);
        xml.WriteAttributeString("Name", table.LogicalName);
        xml.WriteStartElement("Key", Edm);
        xml.WriteStartElement("PropertyRef", Edm);
        xml.WriteAttributeString("Name", table.PrimaryIdAttribute);
        xml.WriteEndElement();
        xml.WriteEndElement();
        foreach (var attribute in table.Attributes.Values)
        {
            Property(xml, attribute.ReadName, ValueCodec.EdmType(attribute));
        }

        Property(xml, "createdon", "Edm.DateTimeOffset");
        Property(xml, "modifiedon", "Edm.DateTimeOffset");
        Property(xml, "versionnumber", "Edm.Int64");
        foreach (var lookup in table.Attributes.Values.Where(a => a.Type == AttributeType.Lookup))
        {
            xml.WriteStartElement("NavigationProperty", Edm);
            xml.WriteAttributeString("Name", lookup.EffectiveNavigationProperty);
            xml.WriteAttributeString("Type", $"mscrm.{lookup.Target}");
            xml.WriteAttributeString("Nullable", "false");
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void Property(XmlWriter xml, string name, string type)
    {
        xml.WriteStartElement("Property", Edm);
        xml.WriteAttributeString("Name", name);
        xml.WriteAttributeString("Type", type);
        xml.WriteEndElement();
    }

    private static void BoundAction(XmlWriter xml, string name)
    {
        xml.WriteStartElement("Action", Edm);
        xml.WriteAttributeString("Name", name);
        xml.WriteAttributeString("IsBound", "true");
        xml.WriteStartElement("Parameter", Edm);
        xml.WriteAttributeString("Name", "entityset");
        xml.WriteAttributeString("Type", "Collection(mscrm.crmbaseentity)");
        xml.WriteEndElement();
        xml.WriteStartElement("Parameter", Edm);
        xml.WriteAttributeString("Name", "Targets");
        xml.WriteAttributeString("Type", "Collection(mscrm.crmbaseentity)");
        xml.WriteAttributeString("Nullable", "false");
        xml.WriteEndElement();
        xml.WriteEndElement();
    }
}
