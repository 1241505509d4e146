using Meridian.Storage.PostGis;
using Npgsql;

namespace Meridian.Storage.Tests.PostGis;

public sealed class PostgresConnectionStringTests
{
    private const string Secret = "s3cr3t-Pa55";

    [Fact]
    public void ToNpgsql_KeywordString_ReturnsItUnchanged()
    {
        const string keywords = "Host=db;Port=5433;Username=u;Password=p;Database=geo";

        Assert.Equal(keywords, PostgresConnectionString.ToNpgsql(keywords));
    }

    [Theory]
    [InlineData("postgres://alice:pw@db.example.com:6543/geo")]
    [InlineData("postgresql://alice:pw@db.example.com:6543/geo")]
    [InlineData("POSTGRES://alice:pw@db.example.com:6543/geo")]
    public void ToNpgsql_Url_SetsEveryPart(string url)
    {
        var settings = Parse(url);

        Assert.Equal("db.example.com", settings.Host);
        Assert.Equal(6543, settings.Port);
        Assert.Equal("alice", settings.Username);
        Assert.Equal("pw", settings.Password);
        Assert.Equal("geo", settings.Database);
    }

    [Fact]
    public void ToNpgsql_PercentEncodedCredentials_AreDecoded()
    {
        var settings = Parse("postgres://al%40ice:p%40ss%3Aw%2Fo%3Brd%25%C3%A9@db/geo");

        Assert.Equal("al@ice", settings.Username);
        Assert.Equal("p@ss:w/o;rd%é", settings.Password);
    }

    [Fact]
    public void ToNpgsql_UnencodedAtAndColonInPassword_SplitsAtLastAtAndFirstColon()
    {
        var settings = Parse("postgres://alice:p@ss:word@db/geo");

        Assert.Equal("alice", settings.Username);
        Assert.Equal("p@ss:word", settings.Password);
        Assert.Equal("db", settings.Host);
    }

    [Fact]
    public void ToNpgsql_QueryParameters_MapToNpgsqlKeywords()
    {
        var settings = Parse("postgres://u@db/geo?sslmode=verify-full&application_name=meridian%20api&connect_timeout=7&target_session_attrs=read-write");

        Assert.Equal(SslMode.VerifyFull, settings.SslMode);
        Assert.Equal("meridian api", settings.ApplicationName);
        Assert.Equal(7, settings.Timeout);
        Assert.Equal("read-write", settings.TargetSessionAttributes);
    }

    [Fact]
    public void ToNpgsql_NoPortNoDatabaseNoUser_LeavesNpgsqlDefaults()
    {
        var settings = Parse("postgres://db.internal");

        Assert.Equal("db.internal", settings.Host);
        Assert.Equal(NpgsqlConnection.DefaultPort, settings.Port);
        Assert.Null(settings.Database);
        Assert.Null(settings.Username);
    }

    [Fact]
    public void ToNpgsql_Ipv6Host_StripsBrackets()
    {
        var settings = Parse("postgres://u@[::1]:5433/geo");

        Assert.Equal("::1", settings.Host);
        Assert.Equal(5433, settings.Port);
    }

    [Fact]
    public void ToNpgsql_SeveralHosts_KeepsEachPort()
    {
        var settings = Parse("postgres://u@a:5432,b:5433/geo");

        Assert.Equal("a:5432,b:5433", settings.Host);
    }

    [Fact]
    public void ToNpgsql_PasswordWithConnectionStringSyntax_CannotInjectKeywords()
    {
        var settings = Parse("postgres://u:x%3BHost%3Devil@db/geo");

        Assert.Equal("x;Host=evil", settings.Password);
        Assert.Equal("db", settings.Host);
    }

    [Theory]
    [InlineData("mysql://u:" + Secret + "@db/geo", "scheme")]
    [InlineData("postgres://u:" + Secret + "@db:notaport/geo", "port")]
    [InlineData("postgres://u:" + Secret + "@db:70000/geo", "port")]
    [InlineData("postgres://u:" + Secret + "@db:-1/geo", "port")]
    [InlineData("postgres://u:" + Secret + "@/geo", "host")]
    [InlineData("postgres://u:" + Secret + "@db/geo/extra", "single database name")]
    [InlineData("postgres://u:" + Secret + "%zz@db/geo", "password")]
    [InlineData("postgres://u:" + Secret + "%C3@db/geo", "UTF-8")]
    [InlineData("postgres://u:" + Secret + "@db/geo?sslmode=sometimes", "sslmode")]
    [InlineData("postgres://u:" + Secret + "@db/geo?evil=1", "'evil'")]
    [InlineData("postgres://u:" + Secret + "@db/geo?noequals", "name=value")]
    [InlineData("postgres://u:" + Secret + "@db/geo#frag", "fragment")]
    [InlineData("postgres://u:" + Secret + "@[::1/geo", "']'")]
    [InlineData("postgres://u:" + Secret + "@db/geo?connect_timeout=soon", "connect_timeout")]
    [InlineData("postgres://u:" + Secret + " @db/geo", "whitespace")]
    public void ToNpgsql_MalformedUrl_ThrowsNamingTheProblemWithoutThePassword(string url, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql(url));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToNpgsql_PasswordWithUnencodedSlash_FailsWithoutEchoingAnyOfIt()
    {
        // The '/' ends the authority early, so "Zq9" lands where the port goes; the error must not show it.
        var error = Assert.Throws<ArgumentException>(() => PostgresConnectionString.ToNpgsql("postgres://u:Zq9/xyz@db/geo"));

        Assert.DoesNotContain("Zq9", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ToNpgsql_Blank_Throws(string value) =>
        Assert.ThrowsAny<ArgumentException>(() => PostgresConnectionString.ToNpgsql(value));

    private static NpgsqlConnectionStringBuilder Parse(string url) => new(PostgresConnectionString.ToNpgsql(url));
}
