using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Empower.Functions.Tests.Fakes;

/// <summary>Just enough of a function invocation for HTTP functions: services with the worker's JSON serializer.</summary>
internal sealed class FakeFunctionContext : FunctionContext
{
    public FakeFunctionContext() =>
        InstanceServices = new ServiceCollection()
            .Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer())
            .BuildServiceProvider();

    public override string InvocationId => "test-invocation";

    public override string FunctionId => "test-function";

    public override TraceContext TraceContext => null!;

    public override BindingContext BindingContext => null!;

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition => null!;

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => null!;

    public override CancellationToken CancellationToken => CancellationToken.None;
}
