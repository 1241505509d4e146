using System.Text.Json.Nodes;
using Meridian.Processing.Processes;
using Meridian.Storage.Analysis;
using Meridian.Storage.Filtering;
using Meridian.Storage.Writing;
using NetTopologySuite.Geometries;

namespace Meridian.Processing.Library;

/// <summary>The services every library process reads its features from and writes them to.</summary>
public sealed record ProcessIo(FeatureInputs Inputs, FeatureOutputs Outputs);

/// <summary>One execution's inputs and output target, read before any work starts.</summary>
public sealed record ProcessRun(ProcessInputs Inputs, OutputTarget Target, ProcessExecution Execution);

/// <summary>
/// A process of the library: features in (the <c>input</c> input), features out (the <c>result</c> output, where
/// <c>output</c> says), with its own parameters in between. Problems with the data met while streaming (a geometry
/// NetTopologySuite cannot process, a value the output store refuses) are input errors, not crashes.
/// </summary>
public abstract class FeatureProcess(ProcessIo io) : IProcess
{
    public const string InputName = "input";
    public const string ResultName = "result";

    private ProcessDescription? _description;

    protected ProcessIo Io { get; } = io;

    protected abstract string Id { get; }

    protected abstract string Title { get; }

    protected abstract string Abstract { get; }

    /// <summary>The process's own inputs, between <c>input</c> and <c>output</c>.</summary>
    protected virtual IReadOnlyList<ProcessInput> Parameters => [];

    /// <summary>Outputs besides <c>result</c> (a summary), by name.</summary>
    protected virtual JsonObject ExtraOutputs => [];

    public ProcessDescription Description => _description ??= Describe();

    private ProcessDescription Describe()
    {
        var inputs = new JsonObject
        {
            [InputName] = new ProcessInput(InputName, "Input features", "The features to process.", FeatureInputs.Schema("The features to process")).ToJson(),
        };
        foreach (var parameter in Parameters) inputs[parameter.Name] = parameter.ToJson();
        inputs[FeatureOutputs.Input.Name] = FeatureOutputs.Input.ToJson();
        var outputs = new JsonObject
        {
            [ResultName] = new JsonObject
            {
                ["title"] = "Result features",
                ["description"] = "A GeoJSON FeatureCollection (inline), or {collection, href, features} and/or {object, format, mediaType, features}.",
                ["schema"] = new JsonObject
                {
                    ["oneOf"] = new JsonArray(
                        new JsonObject { ["type"] = "object", ["contentMediaType"] = "application/geo+json" },
                        new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["collection"] = new JsonObject { ["type"] = "string" }, ["object"] = new JsonObject { ["type"] = "string" } } }),
                },
            },
        };
        foreach (var (name, output) in ExtraOutputs) outputs[name] = output!.DeepClone();
        return new ProcessDescription(Id, Title, Abstract, "1.0.0", inputs, outputs);
    }

    public async Task AdmitAsync(JsonObject inputs, CancellationToken cancellationToken)
    {
        var parsed = new ProcessInputs(inputs, Description);
        foreach (var (name, _) in Description.Inputs)
        {
            if (name != FeatureOutputs.Input.Name) await Io.Inputs.AdmitAsync(name, parsed.Find(name), cancellationToken);
        }
        await Io.Outputs.AdmitAsync(parsed, cancellationToken);
    }

    public async Task<JsonObject> ExecuteAsync(ProcessExecution execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var inputs = new ProcessInputs(execution.Inputs, Description);
        var target = await Io.Outputs.ParseAsync(inputs, cancellationToken);
        var run = new ProcessRun(inputs, target, execution);
        try
        {
            var source = await Io.Inputs.ReadAsync(InputName, inputs.Find(InputName), cancellationToken);
            return await RunAsync(source, run, cancellationToken);
        }
        catch (Exception e) when (e is TopologyException or FilterException or GeometryOperationException)
        {
            throw new ProcessInputException(InputName, $"The input features cannot be processed: {e.Message}");
        }
        catch (Exception e) when (e is StoreConflictException or InvalidFeatureException)
        {
            throw new ProcessInputException(FeatureOutputs.Input.Name, $"The output cannot be written: {e.Message}");
        }
    }

    /// <summary>Reads the process's parameters, then produces its outputs (usually through <see cref="WriteAsync"/>).</summary>
    protected abstract Task<JsonObject> RunAsync(FeatureSet source, ProcessRun run, CancellationToken cancellationToken);

    /// <summary>The results document with the features written where the run's target says.</summary>
    protected async Task<JsonObject> WriteAsync(FeatureSet result, ProcessRun run, CancellationToken cancellationToken) =>
        new() { [ResultName] = await Io.Outputs.WriteAsync(run.Target, Id, result, run.Execution, cancellationToken) };
}
