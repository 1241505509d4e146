using System.CommandLine;
using System.Globalization;
using Meridian.Composition;
using Meridian.Gateway.Auth;

namespace Meridian.Cli;

/// <summary><c>meridian keys create|list|revoke</c>: API keys in the key store the gateway policies read (DATA/keys.db or PostgreSQL).</summary>
internal static class KeysCommand
{
    /// <summary>A century: longer is no expiry worth the name (leave the option out for none).</summary>
    private const int MaxDays = 36_500;

    public static Command Create() => new("keys", "Manage API keys (stored hashed: a key is shown once, when it is created).")
    {
        CreateVerb(), ListVerb(), RevokeVerb(),
    };

    private static Command CreateVerb()
    {
        var common = new CommonOptions();
        var tenant = new Option<string>("--tenant") { Description = "The tenant the key acts for.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "read, write or admin (repeatable; default read).", AllowMultipleArgumentsPerToken = true };
        var days = new Option<int?>("--expires-in-days") { Description = "Days until the key expires (default: never)." };
        var name = new Option<string?>("--name") { Description = "A note saying what the key is for." };
        var command = new Command("create", "Create a key and print it once.") { tenant, scopes, days, name };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var chosen = (parse.GetValue(scopes) is { Length: > 0 } given ? given : [Scopes.Read])
                .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
            if (chosen.FirstOrDefault(s => !Scopes.All.Contains(s)) is { } unknown)
            {
                await Console.Error.WriteLineAsync($"error: --scope '{unknown}' is not one of {string.Join(", ", Scopes.All)}");
                return 2;
            }
            // Past a century the date overflowed DateTimeOffset's range and the verb crashed with a stack trace.
            if (parse.GetValue(days) is <= 0 or > MaxDays)
            {
                await Console.Error.WriteLineAsync($"error: --expires-in-days must be a number of days from 1 to {MaxDays:N0}");
                return 2;
            }
            if (string.IsNullOrWhiteSpace(parse.GetValue(tenant)))
            {
                await Console.Error.WriteLineAsync("error: --tenant must name a tenant");
                return 2;
            }
            var store = Store(parse, common);
            var (id, key) = ApiKeys.Generate();
            var now = DateTimeOffset.UtcNow;
            var expires = parse.GetValue(days) is { } d ? now.AddDays(d) : (DateTimeOffset?)null;
            await store.AddAsync(new ApiKeyRecord(id, parse.GetValue(tenant)!, chosen, parse.GetValue(name), now, expires, null), ApiKeys.Hash(key), ct);
            await Console.Out.WriteLineAsync(key);
            await Console.Error.WriteLineAsync($"created key {id} for tenant '{parse.GetValue(tenant)}' with scopes {string.Join(' ', chosen)}"
                + (expires is { } e ? $", expiring {e:yyyy-MM-dd}" : "") + "; store it now: it cannot be shown again");
            return 0;
        }));
        return command;
    }

    private static Command ListVerb()
    {
        var common = new CommonOptions();
        var command = new Command("list", "List keys (ids, tenants, scopes, state; never the keys).");
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            var now = DateTimeOffset.UtcNow;
            await Console.Out.WriteLineAsync("id\ttenant\tscopes\tstate\tcreated\texpires\tname");
            foreach (var key in await Store(parse, common).ListAsync(ct))
            {
                var state = key.RevokedAt is not null ? "revoked" : key.IsActive(now) ? "active" : "expired";
                await Console.Out.WriteLineAsync(string.Join('\t', key.Id, key.Tenant, string.Join(' ', key.Scopes), state,
                    Date(key.CreatedAt), key.ExpiresAt is { } e ? Date(e) : "never", key.Name ?? ""));
            }
            return 0;
        }));
        return command;
    }

    private static Command RevokeVerb()
    {
        var common = new CommonOptions();
        var id = new Argument<string>("ID") { Description = "The key's id, as `keys list` shows it." };
        var command = new Command("revoke", "Revoke a key; gateways stop accepting it within Gateway:Auth:KeyCacheDuration.") { id };
        common.AddTo(command, withGeoPackages: false);
        command.SetAction((parse, ct) => MeridianCli.Guard(async () =>
        {
            if (await Store(parse, common).RevokeAsync(parse.GetValue(id)!, DateTimeOffset.UtcNow, ct))
            {
                await Console.Error.WriteLineAsync($"revoked key {parse.GetValue(id)}");
                return 0;
            }
            await Console.Error.WriteLineAsync($"error: no active key with id '{parse.GetValue(id)}'");
            return 1;
        }));
        return command;
    }

    private static IApiKeyStore Store(ParseResult parse, CommonOptions common) =>
        ApiKeyStores.Create(MeridianSettings.Load(parse.GetValue(common.Config), common.ToConfiguration(parse)).Options);

    private static string Date(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
