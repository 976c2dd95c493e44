using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Empower.Testing.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, read from its IL: signatures, fields, locals, attributes and every
/// type, method or field a method body names. Compiler-made types (lambdas, async state machines) count for the type
/// that declares them.
/// </summary>
public sealed class NamespaceGraph
{
    private NamespaceGraph(Dictionary<string, Dictionary<string, string>> edges) => Edges = edges;

    /// <summary>For each namespace, the namespaces it uses, each with one type that shows the use ("A uses B").</summary>
    public IReadOnlyDictionary<string, Dictionary<string, string>> Edges { get; }

    public static NamespaceGraph Of(System.Reflection.Assembly assembly, string rootNamespace)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        var edges = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var type in module.Types.Where(t => t.Namespace.StartsWith(rootNamespace, StringComparison.Ordinal)))
        {
            var from = edges.TryGetValue(type.Namespace, out var found) ? found : edges[type.Namespace] = new(StringComparer.Ordinal);
            foreach (var used in Uses(type).SelectMany(Flatten))
            {
                string ns = TopLevel(used).Namespace;
                if (ns != type.Namespace && ns.StartsWith(rootNamespace, StringComparison.Ordinal))
                {
                    from.TryAdd(ns, $"{type.FullName} uses {TopLevel(used).FullName}");
                }
            }
        }

        return new NamespaceGraph(edges);
    }

    /// <summary>
    /// Folders that use each other, directly or round a loop. A folder stands for itself and all it holds, so at each
    /// level the sub-folders of one folder, and that folder's own files, must use each other in one direction only:
    /// <c>Lake/Delta</c> may use <c>Lake/Parquet</c>, or the other way round, not both; and <c>Pipeline/</c>'s own
    /// files may use <c>Pipeline/Planning</c> only if nothing in <c>Pipeline/Planning</c> uses them.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var levels = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var (from, targets) in Edges)
        {
            foreach (var (to, evidence) in targets)
            {
                string level = CommonAncestor(from, to);
                string a = ChildOf(level, from), b = ChildOf(level, to);
                var graph = levels.TryGetValue(level, out var found) ? found : levels[level] = new(StringComparer.Ordinal);
                (graph.TryGetValue(a, out var edges) ? edges : graph[a] = new(StringComparer.Ordinal)).TryAdd(b, evidence);
            }
        }

        _levels = levels;
        return [.. levels.OrderBy(l => l.Key, StringComparer.Ordinal).SelectMany(l => StronglyConnected(l.Value))];
    }

    private Dictionary<string, Dictionary<string, Dictionary<string, string>>> _levels = [];

    private static string CommonAncestor(string a, string b)
    {
        string[] x = a.Split('.'), y = b.Split('.');
        int n = 0;
        while (n < x.Length && n < y.Length && x[n] == y[n])
        {
            n++;
        }

        return string.Join('.', x[..n]);
    }

    /// <summary>The folder directly under <paramref name="level"/> that holds <paramref name="ns"/>, or the level itself for its own files.</summary>
    private static string ChildOf(string level, string ns) =>
        ns.Length == level.Length ? level : level + "." + ns[(level.Length + 1)..].Split('.')[0];

    private static List<IReadOnlyList<string>> StronglyConnected(Dictionary<string, Dictionary<string, string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return cycles;

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in edges.TryGetValue(node, out var targets) ? targets.Keys.ToList() : [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                if (component.Count > 1)
                {
                    cycles.Add([.. component.Order(StringComparer.Ordinal)]);
                }
            }
        }
    }

    /// <summary>A cycle as evidence: each namespace's uses of the others in its group.</summary>
    public string Explain(IReadOnlyList<string> cycle) => string.Join(
        "\n",
        _levels.Values.SelectMany(graph => cycle.Where(graph.ContainsKey)
            .SelectMany(from => graph[from].Where(e => cycle.Contains(e.Key)).Select(e => $"  {from} → {e.Key}: {e.Value}"))));

    private static TypeReference TopLevel(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static IEnumerable<TypeReference> Flatten(TypeReference? type)
    {
        switch (type)
        {
            case null or GenericParameter:
                yield break;
            case GenericInstanceType generic:
                foreach (var part in generic.GenericArguments.Prepend(generic.ElementType).SelectMany(Flatten))
                {
                    yield return part;
                }

                break;
            case TypeSpecification spec:
                foreach (var part in Flatten(spec.ElementType))
                {
                    yield return part;
                }

                break;
            default:
                yield return type;
                break;
        }
    }

    private static IEnumerable<TypeReference?> Uses(TypeDefinition type)
    {
        yield return type.BaseType;
        foreach (var item in type.Interfaces.Select(i => i.InterfaceType)
            .Concat(type.CustomAttributes.Select(a => a.AttributeType))
            .Concat(type.Fields.Select(f => f.FieldType))
            .Concat(type.Properties.Select(p => p.PropertyType)))
        {
            yield return item;
        }

        foreach (var method in type.Methods)
        {
            yield return method.ReturnType;
            foreach (var item in method.Parameters.Select(p => p.ParameterType).Concat(method.CustomAttributes.Select(a => a.AttributeType)))
            {
                yield return item;
            }

            if (!method.HasBody)
            {
                continue;
            }

            foreach (var local in method.Body.Variables)
            {
                yield return local.VariableType;
            }

            foreach (var instruction in method.Body.Instructions)
            {
                foreach (var item in Operand(instruction))
                {
                    yield return item;
                }
            }
        }

        foreach (var nested in type.NestedTypes.SelectMany(Uses))
        {
            yield return nested;
        }
    }

    private static IEnumerable<TypeReference?> Operand(Instruction instruction)
    {
        switch (instruction.Operand)
        {
            case TypeReference type:
                yield return type;
                break;
            case MethodReference method:
                yield return method.DeclaringType;
                yield return method.ReturnType;
                foreach (var parameter in method.Parameters)
                {
                    yield return parameter.ParameterType;
                }

                if (method is GenericInstanceMethod generic)
                {
                    foreach (var argument in generic.GenericArguments)
                    {
                        yield return argument;
                    }
                }

                break;
            case FieldReference field:
                yield return field.DeclaringType;
                yield return field.FieldType;
                break;
        }
    }
}
