using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Hosting.Http;
using Meridian.Processing.Api;
using Meridian.Hosting.Problems;
using Meridian.Hosting.Security;
using Meridian.Processing.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Meridian.Processing.Notifications.Api;

/// <summary>
/// Webhook subscriptions: create (the secret is shown once), list, read, delete, and a subscription's delivery
/// history (every attempt of every event, dead letters included). Everything here needs the write credential:
/// subscriptions name URLs the server will call, and their events describe jobs. With tenants, a caller sees (lists,
/// reads, deletes) its tenant's subscriptions and the public ones (an admin all); another's is a 404 (see <see cref="Subscription"/>).
/// </summary>
public static class SubscriptionsApi
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder endpoints)
    {
        var subscriptions = endpoints.MapGroup("/subscriptions").WithTags("Notifications");
        subscriptions.MapPost("", Create).WithName("create-subscription");
        subscriptions.MapGet("", List).WithName("subscriptions");
        subscriptions.MapGet("/{id}", Get).WithName("subscription");
        subscriptions.MapDelete("/{id}", Delete).WithName("delete-subscription");
        subscriptions.MapGet("/{id}/deliveries", Deliveries).WithName("subscription-deliveries");
        return endpoints;
    }

    private static async Task<IResult> Create(HttpContext context, WriteAccess access, SubscriptionStore store, CollectionCatalog catalog)
    {
        access.Require(context);
        using var body = await JsonRequestBody.ReadAsync(context, MaxBodyBytes, "the subscription API's 16 KiB limit", "application/json");
        var request = SubscriptionRequest.Read(body.RootElement);
        var secret = request.Secret ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var subscription = Subscription.Create(request.Url, request.Topics, request.JobId, request.Workflow, secret, catalog.CurrentCaller());
        await store.CreateAsync(subscription, context.RequestAborted);
        var document = Describe(subscription, context.Request);
        document["secret"] = secret;
        context.Response.Headers.Location = (string)document["links"]![0]!["href"]!;
        return Results.Json(document, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> List(HttpContext context, WriteAccess access, SubscriptionStore store, CollectionCatalog catalog)
    {
        access.Require(context);
        var visibility = catalog.JobVisibility();
        var all = (await store.ListAsync(context.RequestAborted)).Where(s => s.IsSeenBy(visibility))
            .OrderBy(s => s.Created).Select(s => (JsonNode)Describe(s, context.Request)).ToArray();
        return Results.Json(new JsonObject { ["subscriptions"] = new JsonArray(all) });
    }

    private static async Task<IResult> Get(HttpContext context, WriteAccess access, SubscriptionStore store, CollectionCatalog catalog, string id)
    {
        access.Require(context);
        return Results.Json(Describe(await FindAsync(store, catalog, id, context), context.Request));
    }

    private static async Task<IResult> Delete(HttpContext context, WriteAccess access, SubscriptionStore store, CollectionCatalog catalog, string id)
    {
        access.Require(context);
        await FindAsync(store, catalog, id, context);
        if (!await store.DeleteAsync(id, context.RequestAborted)) throw NotFound(id);
        return Results.NoContent();
    }

    private static async Task<IResult> Deliveries(HttpContext context, WriteAccess access, SubscriptionStore store, CollectionCatalog catalog, string id)
    {
        access.Require(context);
        var limit = Paging.Integer(context.Request.Query, "limit", 1, Paging.MaxLimit) ?? 100;
        await FindAsync(store, catalog, id, context);
        var history = await store.HistoryAsync(id, limit, context.RequestAborted);
        return Results.Json(new { deliveries = history }, NotificationEvent.Json);
    }

    /// <summary>The subscription, if the caller may see it: another tenant's does not exist for it.</summary>
    private static async Task<Subscription> FindAsync(SubscriptionStore store, CollectionCatalog catalog, string id, HttpContext context) =>
        await store.GetAsync(id, context.RequestAborted) is { } subscription && subscription.IsSeenBy(catalog.JobVisibility())
            ? subscription
            : throw NotFound(id);

    private static ProblemException NotFound(string id) => ProblemException.NotFound($"There is no subscription '{id}'.");

    /// <summary>The subscription without its secret.</summary>
    private static JsonObject Describe(Subscription s, HttpRequest request)
    {
        var self = $"{RequestUrls.Base(request)}/subscriptions/{s.Id}";
        return new JsonObject
        {
            ["id"] = s.Id,
            ["url"] = s.Url,
            ["topics"] = new JsonArray(s.Topics.Select(t => (JsonNode)t).ToArray()),
            ["jobId"] = s.JobId,
            ["workflow"] = s.Workflow,
            ["created"] = s.Created,
            ["links"] = new JsonArray
            {
                new JsonObject { ["href"] = self, ["rel"] = "self", ["type"] = "application/json" },
                new JsonObject { ["href"] = self + "/deliveries", ["rel"] = "deliveries", ["type"] = "application/json" },
            },
        };
    }

    /// <summary>The body of a subscription request, every mistake reported at once.</summary>
    private sealed record SubscriptionRequest(string Url, IReadOnlyList<string> Topics, string? JobId, string? Workflow, string? Secret)
    {
        private static readonly string[] Members = ["url", "topics", "jobId", "workflow", "secret"];

        public static SubscriptionRequest Read(JsonElement json)
        {
            var errors = new List<string>();
            if (json.ValueKind != JsonValueKind.Object)
                throw Invalid(["the body is a JSON object with url, topics and optionally jobId, workflow and secret"]);
            foreach (var member in json.EnumerateObject().Where(m => !Members.Contains(m.Name, StringComparer.Ordinal)))
                errors.Add($"unknown member '{member.Name}' (allowed: {string.Join(", ", Members)})");

            var url = String(json, "url", errors);
            if (url is null) errors.Add("url is required");
            else if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.UserInfo.Length > 0)
                errors.Add("url must be an absolute http or https URL without credentials, at most 2048 characters");

            var topics = new List<string>();
            if (!json.TryGetProperty("topics", out var topicsJson) || topicsJson.ValueKind != JsonValueKind.Array || topicsJson.GetArrayLength() == 0)
                errors.Add($"topics is a non-empty array of {string.Join(", ", NotificationTopics.All)}");
            else
            {
                foreach (var topic in topicsJson.EnumerateArray())
                {
                    if (topic.ValueKind == JsonValueKind.String && NotificationTopics.All.Contains(topic.GetString()!, StringComparer.Ordinal)) topics.Add(topic.GetString()!);
                    else errors.Add($"'{topic}' is not a topic ({string.Join(", ", NotificationTopics.All)})");
                }
            }

            var jobId = String(json, "jobId", errors);
            if (jobId is { Length: > 128 }) errors.Add("jobId has at most 128 characters");
            var workflow = String(json, "workflow", errors);
            if (workflow is not null && !WorkflowParser.IsValidName(workflow)) errors.Add("workflow is a workflow name (1 to 64 letters, digits, '_' or '-')");
            var secret = String(json, "secret", errors);
            if (secret is { Length: < 16 or > 256 }) errors.Add("secret has 16 to 256 characters (leave it out to have one generated)");

            if (errors.Count > 0) throw Invalid(errors);
            return new SubscriptionRequest(url!, topics.Distinct().ToList(), jobId, workflow, secret);
        }

        private static string? String(JsonElement json, string member, List<string> errors)
        {
            if (!json.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind == JsonValueKind.String) return value.GetString();
            errors.Add($"{member} is a string");
            return null;
        }

        private static ProblemException Invalid(List<string> errors)
        {
            var problem = new ProblemException(StatusCodes.Status400BadRequest, ProblemTypes.InvalidBody, "Invalid subscription", string.Join("; ", errors));
            problem.Extensions["errors"] = errors;
            return problem;
        }
    }
}
