using Meridian.Storage.Jobs;

namespace Meridian.Processing.Workflows;

/// <summary>Hears every step of every workflow execution once its checkpoint is written (the notification service records them).</summary>
public interface IWorkflowEvents
{
    Task StepAsync(JobRecord job, string workflow, StepRecord step, CancellationToken cancellationToken);
}
