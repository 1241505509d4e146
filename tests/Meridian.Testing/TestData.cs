namespace Meridian.Testing;

/// <summary>
/// The shared test data folder (geodata that is never copied into the repository): MERIDIAN_SHARED_DATA when
/// set, otherwise the first <c>shared/data</c> found walking up from the test binaries, which finds it beside
/// the main checkout and beside every worktree.
/// </summary>
public static class TestData
{
    public const string Variable = "MERIDIAN_SHARED_DATA";

    private static readonly Lazy<string> Root = new(Locate);

    public static string Directory => Root.Value;

    /// <summary>The full path of a file or folder given relative to the data folder, e.g. "naturalearth/cql2/ne110m4cql2.gpkg".</summary>
    public static string Path(string relative)
    {
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(Root.Value, relative));
        return File.Exists(full) || System.IO.Directory.Exists(full)
            ? full
            : throw new FileNotFoundException($"Test data '{relative}' is not in {Root.Value}.", full);
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return System.IO.Directory.Exists(configured)
                ? configured
                : throw new DirectoryNotFoundException($"{Variable} is '{configured}', which is not a directory.");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"No shared/data folder above {AppContext.BaseDirectory}; set {Variable} to the test data folder.");
    }
}
