using Meridian.Hosting.Configuration;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Gateway.Releases;

/// <summary>
/// The release administration API: <c>GET /admin/releases[/{route}]</c> (state and this gateway's metrics of both
/// groups) and <c>POST /admin/releases/{route}/promote|rollback|switch|restart</c>. Every call needs the admin
/// scope, so it needs Gateway:Auth: without it there is nobody to trust and the API refuses.
/// </summary>
internal static class ReleaseEndpoints
{
    private const string ByAdministrator = " by an administrator";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/releases").AddEndpointFilter(AdminAccess.Require("Release administration"));
        group.MapGet("", (ReleaseController controller) => Json(controller.Releases.Select(r => Status(controller, r, r.State)).ToList()));
        group.MapGet("/{route}", (string route, ReleaseController controller) =>
        {
            var release = Find(controller, route);
            return Json(Status(controller, release, release.State));
        });
        group.MapPost("/{route}/promote", (string route, ReleaseController controller) =>
            ChangeAsync(controller, route, (s, now) => s.With(ReleasePhase.Promoted, 100, now, "promoted" + ByAdministrator)));
        group.MapPost("/{route}/rollback", (string route, ReleaseController controller) =>
            ChangeAsync(controller, route, (s, now) => s.With(ReleasePhase.RolledBack, 0, now, "rolled back" + ByAdministrator)));
        group.MapPost("/{route}/switch", (string route, ReleaseController controller) => ChangeAsync(controller, route, (s, now) =>
        {
            if (s.Kind != ReleaseKind.BlueGreen) throw Conflict(route, "switch is for blue/green releases; a canary is promoted or rolled back");
            return s.CandidatePercent == 0
                ? s.With(ReleasePhase.Promoted, 100, now, $"switched to {s.Candidate}{ByAdministrator}")
                : s.With(ReleasePhase.RolledBack, 0, now, $"switched to {s.Stable}{ByAdministrator}");
        }));
        group.MapPost("/{route}/restart", (string route, ReleaseController controller) => ChangeAsync(controller, route, (s, now) =>
        {
            if (s.Kind != ReleaseKind.Canary) throw Conflict(route, "restart is for canary releases");
            return s.With(ReleasePhase.Progressing, Find(controller, route).Options.StartPercent, now, "restarted" + ByAdministrator);
        }));
    }

    private static async Task<IResult> ChangeAsync(ReleaseController controller, string route, Func<ReleaseState, DateTimeOffset, ReleaseState> change)
    {
        var release = Find(controller, route);
        var state = await controller.ChangeAsync(release, s => change(s, controller.Now));
        return Json(Status(controller, release, state));
    }

    // The states' own JSON shape (enums by name), the one the CLI reads.
    private static IResult Json<T>(T value) => Results.Json(value, ReleaseState.Json);

    private static RouteRelease Find(ReleaseController controller, string route) =>
        controller.For(route) ?? throw new ProblemException(StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such release",
            $"The route '{route}' has no release configured (Meridian:Gateway:Routes:{route}:Release); releases: {string.Join(", ", controller.Releases.Select(r => r.Route))}.");

    private static ProblemException Conflict(string route, string detail) =>
        new(StatusCodes.Status409Conflict, ProblemTypes.Conflict, "Not for this kind of release", $"Route '{route}': {detail}.");

    private static ReleaseStatus Status(ReleaseController controller, RouteRelease release, ReleaseState state)
    {
        var metrics = release.Metrics;
        var current = metrics.Step == state.Step;
        return new ReleaseStatus(release.Route, state.Kind, state.Phase, state.Stable, state.Candidate, state.CandidatePercent, state.Step,
            state.Since, state.Reason, controller.StoreKind,
            current ? metrics.Stable.Snapshot() : GroupSnapshot.Empty, current ? metrics.Candidate.Snapshot() : GroupSnapshot.Empty);
    }
}

/// <summary>A release as the admin API shows it; the metrics are this gateway's, for the current step.</summary>
internal sealed record ReleaseStatus(
    string Route, ReleaseKind Kind, ReleasePhase Phase, string Stable, string Candidate, int CandidatePercent, int Step,
    DateTimeOffset Since, string? Reason, string Store, GroupSnapshot StableMetrics, GroupSnapshot CandidateMetrics);
