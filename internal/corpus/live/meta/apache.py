AP = "Apache httpd 2.4.71 (Debian bookworm package 2.4.71-1~deb12u1)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:22:00Z")
CANNED = "apache/httpd modules/http/http_protocol.c get_canned_error_string (the stock error pages)"
PROXYDOC = ("source", "https://httpd.apache.org/docs/2.4/mod/mod_proxy.html#proxypass")
write("apache-503-proxy-refused", [("product", AP), ("source", CAP + "ProxyPass / http://127.0.0.1:19999/ (nothing listens there)"), PROXYDOC, ("source", CANNED),
  ("situation", "the app behind mod_proxy is dead: connection refused; Apache answers its stock 503"),
  ("want", "malfunction"),
  ("notes", "the stock 503 text (\"due to maintenance downtime or capacity problems\") is printed for every 503 and is no evidence."),
  ("path", "/api/orders"), NOW], [("", "apache-503-refused")])
write("apache-502-proxy-read-timeout", [("product", AP), ("source", CAP + "ProxyPass / http://127.0.0.1:19998/ timeout=2 (the backend accepts and never answers)"), PROXYDOC,
  ("source", "apache/httpd modules/proxy/proxy_util.c ap_proxyerror (\"Proxy Error\", \"Reason: ...\")"),
  ("situation", "the app hangs: Apache gives up after the timeout with 502 Proxy Error \"Error reading from remote server\""),
  ("want", "malfunction"), ("path", "/api/orders"), NOW], [("", "apache-504-timeout")])
write("apache-502-proxy-garbage", [("product", AP), ("source", CAP + "ProxyPass / http://127.0.0.1:19997/ (the backend sends a header line with a NUL byte)"), PROXYDOC, ("source", CANNED),
  ("situation", "the app sends a broken response"),
  ("want", "malfunction"), ("path", "/api/orders"), NOW], [("", "apache-502-garbage")])
MCFG = ("ErrorDocument 503 /maintenance.html; RewriteEngine On; RewriteCond %{DOCUMENT_ROOT}/maintenance.html -f; "
  "RewriteCond %{REQUEST_URI} !=/maintenance.html; RewriteRule ^ - [R=503,L]; ProxyPass /maintenance.html !; ProxyPass / http://127.0.0.1:19996/ "
  "(maintenance.html: the widely copied \"Site Maintenance\" / \"We&rsquo;ll be back soon!\" page, gist pitch-gist/2999707)")
MDOCS = [("source", "https://httpd.apache.org/docs/2.4/rewrite/flags.html#flag_r (a non-3xx status: the substitution is dropped); https://httpd.apache.org/docs/2.4/mod/mod_rewrite.html#rewritecond (-f); https://httpd.apache.org/docs/2.4/mod/core.html#errordocument")]
write("apache-maintenance-rewrite-errordocument", [("product", AP), ("source", CAP + MCFG)] + MDOCS + [
  ("situation", "the operator's maintenance switch: while maintenance.html exists every path answers 503 with it (the probe path too)"),
  ("want", "malfunction"),
  ("notes", "ambiguous: the operator's page says maintenance in HTML only (no Retry-After), and the probe path answers the same 503 (no information); the loud class is chosen. --html reads it (live-apache-maintenance-rewrite-errordocument-html-rule)."),
  ("path", "/api/orders"), NOW], [("", "apache-maint"), ("/down-for-maintenance", "apache-maint-probe")])
write("apache-maintenance-rewrite-errordocument-html-rule", [("product", AP), ("source", CAP + MCFG)] + MDOCS + [
  ("situation", "the same maintenance page, with the opt-in HTML rule on"),
  ("want", "maintenance"), ("html", "on"), ("path", "/api/orders"), NOW], [("", "apache-maint")])
write("apache-maintenance-rewrite-retry-after", [("product", AP), ("source", CAP + MCFG + "; Header always set Retry-After \"3600\" \"expr=%{REQUEST_STATUS} == 503\"")] + MDOCS + [
  ("source", "https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header (always, expr=)"),
  ("situation", "the operator's maintenance switch, with a Retry-After of an hour"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/api/orders"), NOW], [("", "apache-maint-ra")])
write("apache-fallbackresource-catch-all-503", [("product", AP),
  ("source", CAP + "<Directory ...> FallbackResource /index.html </Directory>; ProxyPass /api/ http://127.0.0.1:19999/"),
  ("source", "https://httpd.apache.org/docs/2.4/mod/mod_dir.html#fallbackresource"), PROXYDOC, ("source", CANNED),
  ("situation", "a single-page app's FallbackResource answers 200 index.html to /down-for-maintenance and every other path, while the API behind /api/ is dead (stock 503)"),
  ("want", "malfunction"),
  ("notes", "the probe's 200 is the catch-all's, not an announcement; the stock 503 text is no evidence."),
  ("path", "/api/orders"), NOW],
  [("", "apache-spa-503"), ("/down-for-maintenance", "apache-spa-probe"), ("*", "apache-spa-other")])
write("apache-php-fpm-503-stopped", [("product", AP + " with mod_proxy_fcgi and php-fpm 8.2"),
  ("source", CAP + "<FilesMatch \"\\.php$\"> SetHandler \"proxy:unix:/run/php-fpm.sock|fcgi://localhost\" </FilesMatch> (php-fpm stopped)"),
  ("source", "https://httpd.apache.org/docs/2.4/mod/mod_proxy_fcgi.html"), ("source", CANNED),
  ("situation", "php-fpm is stopped: Apache answers its stock 503, with the probe path its stock 404"),
  ("want", "malfunction"), ("path", "/index.php"), NOW],
  [("", "apache-php-503"), ("/down-for-maintenance", "apache-404")])
write("apache-errordocument-503-backend-dead", [("product", AP),
  ("source", CAP + "the maintenance switch of live-apache-maintenance-rewrite-errordocument left off (ErrorDocument 503 /maintenance.html; RewriteCond ... -f; RewriteRule ^ - [R=503,L]) in front of a dead backend: ProxyPass / http://127.0.0.1:19999/"),
  ] + MDOCS + [PROXYDOC,
  ("situation", "the switch is off and the app dies: mod_proxy's 503 gets the operator's maintenance page through ErrorDocument 503"),
  ("want", "malfunction"),
  ("notes", "byte for byte the response of the switch turned on (live-apache-maintenance-rewrite-errordocument): nothing in it tells the outage from the maintenance. With --html it reads as maintenance: that is why the HTML rule is opt-in. Retry-After on the switch alone, or the probe, tells them apart."),
  ("path", "/api/orders"), NOW], [("", "apache-errdoc-dead")])
