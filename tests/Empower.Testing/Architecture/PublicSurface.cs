using Mono.Cecil;

namespace Empower.Testing.Architecture;

/// <summary>
/// The types of a library that its hosts need public, read from IL: the types the hosts name, and every type that
/// appears where those are visible (base type, interfaces, a public or protected member's signature), until nothing
/// new appears. A type that declares a public constant counts as needed: the compiler copies constants into the host,
/// so its IL never names the type.
/// </summary>
public static class PublicSurface
{
    /// <summary>The library's public top-level types that no host needs: they should be internal.</summary>
    public static IReadOnlyList<string> Unneeded(string library, IEnumerable<string> hosts)
    {
        using var module = ModuleDefinition.ReadModule(library);
        var types = module.GetTypes().ToDictionary(Name, StringComparer.Ordinal);
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<TypeDefinition>();

        void Need(TypeReference? type)
        {
            switch (type)
            {
                case null or GenericParameter:
                    return;
                case GenericInstanceType generic:
                    Need(generic.ElementType);
                    generic.GenericArguments.ToList().ForEach(Need);
                    return;
                case TypeSpecification wrapped:
                    Need(wrapped.ElementType);
                    return;
            }

            string name = Name(type);
            if (types.TryGetValue(name, out var definition) && needed.Add(name))
            {
                pending.Enqueue(definition);
            }
        }

        foreach (string host in hosts)
        {
            using var hostModule = ModuleDefinition.ReadModule(host);
            foreach (var reference in hostModule.GetTypeReferences().Where(r => r.Scope.Name == module.Assembly.Name.Name))
            {
                Need(reference);
            }
        }

        foreach (var constants in types.Values.Where(t => t.Fields.Any(f => f.IsLiteral && f.IsPublic)))
        {
            Need(constants);
        }

        while (pending.TryDequeue(out var type))
        {
            VisibleSignatures(type).ToList().ForEach(Need);
        }

        return [.. module.Types.Where(t => t.IsPublic && !needed.Contains(Name(t))).Select(t => t.FullName).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<TypeReference> VisibleSignatures(TypeDefinition type)
    {
        static bool Visible(MethodDefinition? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly);

        if (type.DeclaringType is not null)
        {
            yield return type.DeclaringType;
        }

        if (type.BaseType is not null)
        {
            yield return type.BaseType;
        }

        foreach (var reference in type.Interfaces.Select(i => i.InterfaceType)
            .Concat(type.GenericParameters.SelectMany(p => p.Constraints).Select(c => c.ConstraintType))
            .Concat(type.Fields.Where(f => f.IsPublic || f.IsFamily).Select(f => f.FieldType)))
        {
            yield return reference;
        }

        // Property and event accessors are methods too: their signatures carry the property's and event's types.
        foreach (var method in type.Methods.Where(Visible))
        {
            yield return method.ReturnType;
            foreach (var reference in method.Parameters.Select(p => p.ParameterType)
                .Concat(method.GenericParameters.SelectMany(p => p.Constraints).Select(c => c.ConstraintType)))
            {
                yield return reference;
            }
        }
    }

    private static string Name(TypeReference type) => type.FullName.Replace('/', '+');
}
