using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Meridian.Testing;

/// <summary>
/// A real RabbitMQ for the tests. <see cref="Shared"/> is the node scripts/test.sh started (MERIDIAN_TEST_RABBITMQ,
/// and MERIDIAN_TEST_RABBITMQ_NODE for rabbitmqctl); <see cref="StartPrivateAsync"/> starts a node of this test's own
/// (Debian's rabbitmq-server, as the script does) that it may stop and start again without disturbing other tests.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    public const string Variable = "MERIDIAN_TEST_RABBITMQ";
    public const string NodeVariable = "MERIDIAN_TEST_RABBITMQ_NODE";

    private readonly string _node;
    private readonly Dictionary<string, string> _environment;
    private readonly TempDirectory? _directory;
    private Process? _process;

    private RabbitMqBroker(Uri uri, string node, Dictionary<string, string> environment, TempDirectory? directory)
    {
        Uri = uri;
        _node = node;
        _environment = environment;
        _directory = directory;
    }

    /// <summary>amqp://user:password@127.0.0.1:port/vhost</summary>
    public Uri Uri { get; }

    public static RabbitMqBroker Shared()
    {
        var uri = Environment.GetEnvironmentVariable(Variable);
        var node = Environment.GetEnvironmentVariable(NodeVariable);
        if (string.IsNullOrWhiteSpace(uri) || string.IsNullOrWhiteSpace(node))
            throw new InvalidOperationException($"{Variable} and {NodeVariable} are not set: run scripts/test.sh, which starts a private RabbitMQ node");
        return new RabbitMqBroker(new Uri(uri), node, [], directory: null);
    }

    /// <summary>A node of its own on free loopback ports, with its own epmd, stopped and removed on dispose.</summary>
    public static async Task<RabbitMqBroker> StartPrivateAsync()
    {
        var directory = new TempDirectory();
        var port = FreePort();
        Directory.CreateDirectory(Path.Combine(directory.Path, "mnesia"));
        Directory.CreateDirectory(Path.Combine(directory.Path, "log"));
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "enabled_plugins"), "[].");
        await File.WriteAllTextAsync(Path.Combine(directory.Path, "rabbitmq.conf"), "");
        // Debian's wrapper runs the node as the rabbitmq user, which must own its directories.
        if (Environment.UserName == "root") await RunAsync("chown", ["-R", "rabbitmq:", directory.Path], []);
        await RunAsync("chmod", ["755", directory.Path], []);
        var node = $"meridian-test-{port}@localhost";
        var environment = new Dictionary<string, string>
        {
            ["ERL_EPMD_PORT"] = FreePort().ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODENAME"] = node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(),
            ["RABBITMQ_DIST_PORT"] = FreePort().ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory.Path, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory.Path, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory.Path, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory.Path, "rabbitmq.conf"),
            ["RABBITMQ_CONF_ENV_FILE"] = "/dev/null",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
        };
        var password = Guid.NewGuid().ToString("N");
        var broker = new RabbitMqBroker(new Uri($"amqp://meridian:{password}@127.0.0.1:{port}/meridian"), node, environment, directory);
        await broker.StartAsync();
        await broker.CtlAsync("add_vhost", "meridian");
        await broker.CtlAsync("add_user", "meridian", password);
        await broker.CtlAsync("set_permissions", "-p", "meridian", "meridian", ".*", ".*", ".*");
        return broker;
    }

    /// <summary>
    /// Restarts the broker with whatever is queued: a private node's whole Erlang process stops and starts again;
    /// the shared node restarts its broker application (every connection drops, queues reload from disk) but keeps
    /// its process, which the script owns.
    /// </summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Takes the broker away (a private node's process, the shared node's application) until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_directory is null)
        {
            await CtlAsync("stop_app");
            return;
        }
        await CtlAsync("stop");
        if (_process is not null) await _process.WaitForExitAsync();
        _process = null;
    }

    /// <summary>Brings the broker back (with its data) and returns once it is ready.</summary>
    public async Task StartAsync()
    {
        if (_directory is null)
        {
            await CtlAsync("start_app");
            return;
        }
        var start = new ProcessStartInfo("rabbitmq-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        _process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmq-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var i = 0; i < 120; i++)
        {
            if (await RunAsync("rabbitmqctl", ["-n", _node, "-q", "await_startup", "--timeout", "5"], _environment, check: false) == 0) return;
            if (_process.HasExited) break;
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"The RabbitMQ node {_node} did not start; see {_directory.Path}/log");
    }

    /// <summary>The messages a queue of the meridian vhost holds (ready and unacknowledged), as the broker counts them.</summary>
    public async Task<int> QueueDepthAsync(string queue)
    {
        var output = new System.Text.StringBuilder();
        await RunAsync("rabbitmqctl", ["-n", _node, "-q", "list_queues", "-p", Uri.AbsolutePath.Trim('/'), "--no-table-headers", "name", "messages"],
            _environment, output: output);
        foreach (var line in output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length == 2 && fields[0] == queue) return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"The broker has no queue {queue}: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_directory is null) return;
        if (_process is not null) await StopAsync();
        await RunAsync("epmd", ["-port", _environment["ERL_EPMD_PORT"], "-kill"], _environment, check: false);
        _directory.Dispose();
    }

    private Task CtlAsync(params string[] arguments) => RunAsync("rabbitmqctl", ["-n", _node, "-q", .. arguments], _environment);

    private static async Task<int> RunAsync(string program, IEnumerable<string> arguments, Dictionary<string, string> environment, bool check = true,
        System.Text.StringBuilder? output = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var printed = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output?.Append(await printed);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await printed}{await error}");
        return process.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
