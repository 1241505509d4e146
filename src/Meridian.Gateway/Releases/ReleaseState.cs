using System.Text.Json;
using System.Text.Json.Serialization;
using Meridian.Hosting.Configuration;

namespace Meridian.Gateway.Releases;

public enum ReleasePhase
{
    /// <summary>A canary taking a growing share; a blue/green release serving one of its groups.</summary>
    Progressing,

    /// <summary>All traffic to the candidate.</summary>
    Promoted,

    /// <summary>All traffic to the stable group.</summary>
    RolledBack,
}

/// <summary>
/// Where a route's release stands, as every replica must see it: the candidate's share of the traffic and the
/// step it is in (a new step starts a new analysis window). Kind, Stable and Candidate tie the state to the
/// configured release: a state for other clusters is a past release and is replaced.
/// </summary>
internal sealed record ReleaseState(
    ReleaseKind Kind, string Stable, string Candidate, ReleasePhase Phase, int CandidatePercent, int Step, DateTimeOffset Since, string? Reason)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    /// <summary>Where a configured release begins: a canary at its first share, blue/green all on the stable (blue) group.</summary>
    public static ReleaseState Start(string stable, ReleaseOptions release, DateTimeOffset now) => new(
        release.Kind, stable, release.Cluster, ReleasePhase.Progressing, release.Kind == ReleaseKind.Canary ? release.StartPercent : 0, 0, now, null);

    public bool Matches(string stable, ReleaseOptions release) =>
        Kind == release.Kind && string.Equals(Stable, stable, StringComparison.OrdinalIgnoreCase) && string.Equals(Candidate, release.Cluster, StringComparison.OrdinalIgnoreCase);

    public ReleaseState With(ReleasePhase phase, int percent, DateTimeOffset now, string? reason) =>
        this with { Phase = phase, CandidatePercent = percent, Step = Step + 1, Since = now, Reason = reason };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored state, or null when none is stored or it is unreadable (another version's): then the release starts over.</summary>
    public static ReleaseState? Deserialize(string? json)
    {
        if (json is null) return null;
        try
        {
            return JsonSerializer.Deserialize<ReleaseState>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
