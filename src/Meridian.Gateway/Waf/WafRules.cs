namespace Meridian.Gateway.Waf;

/// <summary>
/// The signatures. Level 1 names well-known attack shapes only and must let every legitimate request through,
/// CQL2 filters above all: they are SQL-like (quotes, AND/OR, LIKE, IN, BETWEEN, functions, parentheses), so
/// level 1 never keys on those alone, only on what CQL2 cannot contain (UNION SELECT, comments after a quote,
/// semicolons, tautologies, database functions). Higher levels add broader patterns and, knowingly, false
/// positives (bench/RESULTS.md has the rates per level). Patterns use named groups only, so that one level's
/// patterns combine into one pre-filter expression.
/// </summary>
internal static class WafRules
{
    private const WafTargets All = WafTargets.All;
    private const WafTargets NotPath = WafTargets.Query | WafTargets.Header | WafTargets.Body;

    /// <summary>
    /// A value that closes a string literal at once and goes on as SQL (x' AND ..., 5') OR ..., admin'||...), or a number
    /// followed by a boolean probe (9 AND 4>3, 1 AND ascii(...)): how an injection into a quoted or numeric parameter
    /// starts. A CQL2 filter never starts that way (its literals open before they close), nor does a name such as
    /// Côte d'Ivoire or 's-Hertogenbosch.
    /// </summary>
    private const string ClosesALiteral =
        @"(?:[\w.@-]{0,40}['""`]\s*\)*\s*(?:(?:and|or|xor|rlike|regexp|div|having|procedure|into|limit|union|order\s+by|group\s+by)\b|&&|\|\||;)"
        + @"|-?\d+\s*\)*\s+(?:and|or|xor|&&|\|\|)\s+\(?\s*(?:(?:ascii|substr\w*|mid|ord|length|len|if|elt|sleep|char|chr|exists|cast|convert|lower|upper|left|right|instr|rand|count|unicode|hex|field|coalesce|not)\s*\(|-?\d+\s*(?:[<>=]|!=|\blike\b)))";

    /// <summary>Programs an injected shell command starts with (after a separator or a new line).</summary>
    private const string ShellCommands =
        "ls|cat|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|ksh|dash|ping|nslookup|dig|host|rm|chmod|chown|python[23]?|perl|ruby|php|powershell|pwsh|cmd|echo|sleep|kill|ps|env|printenv|ifconfig|ipconfig|telnet|ssh|scp|tftp|base64|nohup|touch|mkdir|sudo|su|crontab|systeminfo|tasklist|type|dir|find|grep|awk|sed|head|tail|more|less|xterm|socat|net|reg|certutil|bitsadmin|mshta|rundll32|wmic|timeout|hostname|set|busybox";

    public static IReadOnlyList<WafRule> Rules { get; } =
    [
        // --- SQL injection ---
        new("sqli-union", WafCategory.Sqli, 1, All, @"\bunion(?:[\s+(]|/\*[^*]{0,64}\*/)+(?:all(?:[\s(]|/\*[^*]{0,64}\*/)+|distinct(?:row)?\s+)?select\b|\bunion(?:\s+all)?\s+values\s*\("),
        new("sqli-tautology", WafCategory.Sqli, 1, All, @"(?:\bor\b|\band\b|\|\||&&)[\s(]*(?<tq>['""`]?)(?<tv>[\w.]{1,64})\k<tq>\s*(?:=|<=>|\blike\b|\bis\b)[\s(]*\k<tq>\k<tv>\b"),
        new("sqli-quote-boolean", WafCategory.Sqli, 1, All, @"['""`][\s)]*(?:\bor\b|\|\|)\s+(?:not\s+)?(?:true|false|null|\d+|['""][\w]*['""]?)\s*(?:[<>]|--|#|/\*|;|$)"),
        new("sqli-empty-tautology", WafCategory.Sqli, 1, All, @"(?:\bor\b|\|\|)\s*(?<eq>['""])\k<eq>\s*=\s*\k<eq>|^\s*(?<eq2>['""])\s*=\s*\k<eq2>\s*$"),
        new("sqli-open-quote", WafCategory.Sqli, 1, All, @"['""][\s)]*(?:\bor\b|\band\b|\|\|).{0,100}?(?:=|<>|\blike)\s*['""]\s*$"),
        new("sqli-quote-start", WafCategory.Sqli, 1, NotPath, "^(?:" + ClosesALiteral + ")"),
        new("sqli-quote-start-path", WafCategory.Sqli, 1, WafTargets.Path, "/(?:" + ClosesALiteral + ")"),
        new("sqli-number-comparison", WafCategory.Sqli, 1, All, @"\b(?:and|or|xor)\s+\(?\s*\d+\s*(?:[<>]=?|<>|!=)\s*\d+\b"),
        new("sqli-quote-comment", WafCategory.Sqli, 1, All, @"['""`][\s)]*(?:--(?:[\s+-]*$|\s*[-+]|\s+\S{1,12}$)|#(?:\s|$)|/\*|;)"),
        new("sqli-stacked", WafCategory.Sqli, 1, All, @";\s*(?:select\s+(?:\*|\d|null\b|@|case\b|distinct\b|top\s|[\w.]+\s*\(|[\w.]+(?:\s*,\s*[\w.]+)*\s+from\b)|insert\s+into|update\s+[\w.""]+\s+set\b|delete\s+from|drop\s+(?:table|database|schema|view|function|user|role|index)|create\s+(?:temp\w*\s+|or\s+replace\s+)?(?:table|user|role|function|database|view|index|trigger|extension)|alter\s+(?:table|user|role|database|system)|truncate\s+(?:table\s+)?[\w.""]+\s*(?:$|;|--)|exec(?:ute)?\s*[\s(@]|declare\s+@|shutdown\b|grant\s+(?:all|select|insert|update|delete|execute|usage)\b|revoke\s|waitfor\s|copy\s+[\w.(]+\s+(?:from|to)\b|set\s+@)"),
        new("sqli-time", WafCategory.Sqli, 1, All, @"\b(?:sleep|benchmark|pg_sleep|randomblob|dbms_lock\.sleep|dbms_pipe\.receive_message)\s*\(|\bwaitfor\s+(?:delay|time)\b"),
        new("sqli-functions", WafCategory.Sqli, 1, All, @"\b(?:database|version|user|current_user|session_user|system_user|current_database|schema)\s*\(\s*\)|\bdbms_\w+\.|\bgenerate_series\s*\(|\b(?:load_file|xp_cmdshell|xp_dirtree|sp_executesql|sp_oacreate|sp_configure|utl_http|utl_inaddr|extractvalue|updatexml|group_concat|make_set|pg_read_file|lo_import|sqlite_version|name_const)\s*\(|\binformation_schema\b|\b(?:sysobjects|syscolumns|sqlite_master|pg_catalog|pg_shadow|mysql\.user|all_tables|user_tables)\b|@@(?:version|datadir|hostname|servername)\b|\binto\s+(?:out|dump)file\b"),
        new("sqli-char-chain", WafCategory.Sqli, 1, All, @"\b(?:char|chr|nchar)\s*\(\s*\d+\s*(?:,\s*\d+\s*)+\)|\b(?:char|chr)\s*\(\s*\d+\s*\)\s*(?:\|\||\+)|\bconcat(?:_ws)?\s*\(|\b0x[0-9a-f]{8,}\b"),
        new("sqli-subquery", WafCategory.Sqli, 1, All, @"\(\s*select\b|\bexists\s*\(\s*select\b"),
        new("sqli-order-probe", WafCategory.Sqli, 1, All, @"\b(?:order|group)\s+by\s+\d+(?:\s*,\s*\d+)*\s*(?:--|#|/\*|$)|\bhaving\s+\d+\s*=\s*\d+"),
        new("sqli-versioned-comment", WafCategory.Sqli, 1, All, @"/\*!\d*|\b(?:select|union|from|where|and|or)/\*"),
        new("sqli-exec", WafCategory.Sqli, 1, All, @"\bexec(?:ute)?\s+(?:master\.|xp_|sp_|\()"),
        new("sqli-quote-number", WafCategory.Sqli, 2, NotPath, @"['""`][\s)]*(?:\band\b|\bor\b)\s+\d+\s*[=<>]"),
        new("sqli-select-from", WafCategory.Sqli, 2, NotPath, @"\bselect\b.{1,100}?\bfrom\b|\b(?:insert\s+into|delete\s+from|drop\s+(?:table|database|schema)|update\s+\w+\s+set|truncate\s+table|alter\s+table|create\s+(?:table|user|function))\b"),
        new("sqli-comment", WafCategory.Sqli, 2, NotPath, @"--(?:\s|$)|/\*.{0,200}?\*/"),
        new("sqli-quote-keyword", WafCategory.Sqli, 3, NotPath, @"['""`][\s)]*(?:\bor\b|\band\b|\|\||&&)\s"),
        new("sqli-keyword", WafCategory.Sqli, 3, NotPath, @"\b(?:select|union|insert|drop|exec|execute|declare|truncate|delete)\b"),
        new("sqli-metachar", WafCategory.Sqli, 4, NotPath, @"['""`;]|--"),

        // --- Cross-site scripting ---
        new("xss-script", WafCategory.Xss, 1, All, @"<\s*/?\s*script\b"),
        new("xss-event-handler", WafCategory.Xss, 1, All, @"<[a-z!][^>]{0,256}?[\s/""'`]on[a-z]{3,}\s*=|['""`](?:[^'""`<>]{0,100}?[\s/])?on(?:error|load|mouse\w+|focus\w*|blur|click|dblclick|auxclick|contextmenu|key\w+|submit|change|input|toggle|begin|end|animation\w+|transition\w+|pointer\w+|wheel|scroll|resize|unload|beforeunload|pageshow|popstate|hashchange|message|drag\w*|drop|copy|cut|paste|play|pause|select|show|touch\w+|afterprint|beforeprint|loadstart|canplay\w*|timeupdate|readystatechange|webkit\w+)\s*="),
        new("xss-uri-scheme", WafCategory.Xss, 1, All, @"(?:j\s*a\s*v\s*a|v\s*b|l\s*i\s*v\s*e)\s*s\s*c\s*r\s*i\s*p\s*t\s*:|\bdata\s*:\s*(?:text/html|image/svg\+xml|application/(?:x-)?(?:java|ecma)script)"),
        new("xss-tags", WafCategory.Xss, 1, All, @"<\s*(?:iframe|frame|frameset|object|embed|applet|svg|math|base|meta|link|style|form|isindex|marquee|xss|template|portal|noscript)\b"),
        new("xss-src-attribute", WafCategory.Xss, 2, All, @"<\s*(?:img|image|body|video|audio|source|input|button|details|a|div|table|td|p|x)\b[^>]{0,256}?\b(?:src|href|background|formaction|action|srcdoc|poster|xlink:href)\s*="),
        new("xss-dom", WafCategory.Xss, 1, All, @"\bdocument\s*\.\s*(?:cookie|domain|write|location)|\bwindow\s*\.\s*location|\.innerhtml\b|string\s*\.\s*fromcharcode|\bexpression\s*\(|-moz-binding|['""`]\s*[-+;*|&^]\s*\(?\s*(?:alert|prompt|confirm|eval|print|top|self|window|parent|frames|globalThis|document|location|setTimeout|setInterval|Function|import|fetch)\s*[\[(.`)]|\bconstructor\s*\.\s*constructor\b|\{\{[^}]{0,80}\.\s*constructor\s*\(|\b(?:alert|prompt|confirm)\s*(?:\(\s*(?:\d+|document|['""`]|/)|`)"),
        new("xss-handler-bare", WafCategory.Xss, 2, NotPath, @"\bon[a-z]{4,}\s*=|\b(?:alert|prompt|confirm|eval)\s*[(`]|\{\{.{0,80}\}\}"),
        new("xss-any-tag", WafCategory.Xss, 3, All, @"<\s*[a-z!/?]|&#x?[0-9a-f]+;?|\bjavascript\b"),
        new("xss-angle", WafCategory.Xss, 4, All, @"[<>]"),

        // --- Path traversal, local and remote file inclusion ---
        new("lfi-dot-segment", WafCategory.Traversal, 1, WafTargets.Path, @"(?:^|[/\\])\.\.(?:[/\\;]|$)"),
        new("lfi-traversal", WafCategory.Traversal, 1, All, @"(?:\.\.[/\\]){2,}|\.\.[/\\]+(?:etc|proc|windows|winnt|boot\.ini|usr|var|home|root|sys|dev|tmp|inetpub|web-inf|app_data|\.\.)\b|\.\.;[/\\]|\.\.(?:\uFFFD|%c0%af|%c1%9c|%e0%80%af)"),
        new("lfi-files", WafCategory.Traversal, 1, All, @"/etc/(?:passwd|shadow|hosts|group|issue|hostname|os-release|crontab|sudoers|resolv\.conf)\b|/proc/(?:self|thread-self|\d+)/\w|/var/run/secrets/|[/\\]\.(?:aws|kube|docker)[/\\]|[/\\]appsettings[\w.]*\.json\b|[/\\]web\.config\b|\.pgpass\b|\bpg_hba\.conf\b|\.bash_history\b|\b[a-z]:[/\\]+(?:windows|winnt|boot\.ini|inetpub)|\b(?:win|system)\.ini\b|\bboot\.ini\b|\bsystem32\b|web-inf[/\\]|\.(?:htaccess|htpasswd)\b|\.git[/\\](?:config|head)\b|(?:^|[/\\])\.env\b|\.ssh[/\\]|\bid_rsa\b"),
        new("lfi-wrapper", WafCategory.Traversal, 1, All, @"\b(?:php|phar|zip|expect|glob|data|gopher|dict|jar|netdoc|compress\.zlib|ldaps?|rmi|iiop|tftp)://|\bfile:/|\bjar:[a-z]+:"),
        new("rfi-unc", WafCategory.Traversal, 1, WafTargets.Path | WafTargets.Query | WafTargets.Header, @"(?:^|[\s'""=(/])\\\\[\w.-]+\\[\w$.-]"),
        new("rfi-metadata", WafCategory.Traversal, 1, All, @"\b169\.254\.169\.254\b|\b169\.254\.170\.2\b|\bmetadata\.google\.internal\b|\b100\.100\.100\.200\b|\bfd00:ec2::254\b|::ffff:(?:a9fe:a9fe|169\.254\.)|://(?:0x0*a9fea9fe|2852039166|0*251\.0*376\.0*251\.0*376)\b"),
        new("lfi-xxe", WafCategory.Traversal, 1, All, @"<!ENTITY\b|<!DOCTYPE\s+[\w:.-]+[^>\[]{0,200}\[|\bSYSTEM\s+['""](?:https?|file|ftp|expect|php|jar|gopher|netdoc)\s*:"),
        new("lfi-null-byte", WafCategory.Traversal, 1, All, @"\x00"),
        new("lfi-relative", WafCategory.Traversal, 2, NotPath, @"(?:^|[^.])\.\.[/\\][a-z_.~]|~[/\\]|\\\\[a-z0-9.-]+\\"),
        new("lfi-dots", WafCategory.Traversal, 3, All, @"\.\.[/\\]"),
        new("lfi-hidden", WafCategory.Traversal, 4, All, @"[/\\]\.|\.\."),

        // --- Command injection and remote code execution ---
        new("cmd-chain", WafCategory.Command, 1, All, @"(?:[;|`]|&&|\$\()\s*(?:" + ShellCommands + @")(?:[\s;&|<>`)$/'""]|$)"),
        new("cmd-line-command", WafCategory.Command, 1, All, @"[\r\n]\s*(?:" + ShellCommands + @")(?:\s*(?:$|[;&|\r\n`])|\s+-{1,2}\w|\s+[/~.$]|\s+https?:|\$\{?ifs)"),
        new("cmd-ampersand", WafCategory.Command, 1, All, @"&\s*(?:" + ShellCommands + @")\s+[-/]\w"),
        new("cmd-shell-paths", WafCategory.Command, 1, All, @"/bin/(?:ba|z|k|da)?sh\b|/usr/bin/(?:env|perl|python\d?|id|whoami|wget|curl)\b|/dev/(?:tcp|udp)/|\$\{?ifs\}?|\bcmd(?:\.exe)?\s+/[ck]\b|\bpowershell(?:\.exe)?\s+-(?:enc|e|c|nop|w|command|encodedcommand)\b|\b(?:nc|ncat)\s+-[elvnp]|\bbash\s+-[ic]\b|\bpython[23]?\s+-c\b|\bperl\s+-e\b|\$\{\w+:\d+(?::\d+)?\}|\bbase64\s+(?:-d|--decode)\b|(?:/[\w.]*[?*][\w.?*]*){2}"),
        new("cmd-substitution", WafCategory.Command, 1, All, @"\$\([^)]{1,80}\)|`[^`]{1,80}`"),
        new("rce-jndi", WafCategory.Command, 1, All, @"\$\{[^}]{0,40}(?:jndi|(?:lower|upper|env|sys|date|base64|k8s|docker|java|main|marker|spring|bundle|ctx|sd|web|log4j|event):|::-)|\$\{[^}]{0,15}:[^}]{0,15}:-|\$\{\s*\$\{"),
        new("rce-shellshock", WafCategory.Command, 1, All, @"\(\s*\)\s*\{[^}]{0,80};\s*\}"),
        new("rce-template", WafCategory.Command, 1, All, @"\{\{.{0,40}(?:__\w+__|config\.|self\.|request\.|lipsum|cycler|joiner|\d+\s*\*\s*['""]?\d+|\|\s*attr\b|\bconstructor\s*\().{0,80}\}\}|\{%\s*(?:import|include|extends|from|set|for|if|macro|call|raw|debug|exec|load)\b|<%=|[$#*@]\{\s*\d+\s*\*\s*\d+\s*\}|\bT\s*\(\s*java\.|\bjava\.lang\.(?:Runtime|ProcessBuilder|System|Class)\b|\bgetRuntime\s*\(|\bfreemarker\.template\.utility\b|#set\s*\(\s*\$|\bclass\.forName\s*\(|\bchild_process\b|\.execSync\s*\("),
        new("cmd-newline", WafCategory.Command, 2, All, @"[\r\n]\s*(?:ls|cat|id|whoami|uname|wget|curl|nc|bash|sh|ping|rm|echo|sleep)\b|\|\s*\w+"),
        new("cmd-metachar", WafCategory.Command, 3, All, @"[;|`]|\$[({]|&&"),
        new("cmd-any", WafCategory.Command, 4, All, @"[;|`$&(){}]"),

        // --- Protocol: header injection through decoded values ---
        new("proto-crlf", WafCategory.Protocol, 1, WafTargets.Path | WafTargets.Query | WafTargets.Header, @"[\r\n][\w-]{2,40}\s*:\s*\S|[\r\n]{2,}\s*(?:<|HTTP/)"),
    ];
}
