NG = "nginx 1.22.1 (Debian bookworm package 1.22.1-9+deb12u11)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:21:00Z")
SPECIAL = "nginx/nginx src/http/ngx_http_special_response.c (the built-in error pages)"
write("nginx-502-upstream-refused", [("product", NG),
  ("source", CAP + "location / { proxy_pass http://127.0.0.1:19999; } (nothing listens there)"),
  ("source", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass"), ("source", SPECIAL),
  ("situation", "the app behind the proxy is dead: connection refused"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW],
  [("", "nginx-502-refused")])
write("nginx-504-upstream-timeout", [("product", NG),
  ("source", CAP + "proxy_pass to a backend that accepts and never answers; proxy_read_timeout 2s;"),
  ("source", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout"), ("source", SPECIAL),
  ("situation", "the app accepts the connection and hangs: upstream timed out"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW],
  [("", "nginx-504-timeout")])
write("nginx-502-upstream-garbage", [("product", NG),
  ("source", CAP + "proxy_pass to a backend that answers \"HTTP/1.1 200 OK\" then a header line with a NUL byte"),
  ("source", "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass"), ("source", SPECIAL),
  ("situation", "the app sends a broken response (nginx logs \"upstream sent invalid header\")"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW],
  [("", "nginx-502-garbage")])
MAINT_CFG = ("if (-f $document_root/maintenance.flag.html) { return 503; } error_page 503 @maintenance; "
  "location @maintenance { rewrite ^(.*)$ /maintenance.html break; } (maintenance.html: the widely copied "
  "\"Site Maintenance\" / \"We&rsquo;ll be back soon!\" page, gist pitch-gist/2999707)")
MAINT_DOCS = [("source", "https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#if (-f) and #return; https://nginx.org/en/docs/http/ngx_http_core_module.html#error_page")]
write("nginx-maintenance-flag-file", [("product", NG), ("source", CAP + MAINT_CFG)] + MAINT_DOCS + [
  ("situation", "the operator's maintenance switch: a flag file makes every path answer 503 with a static maintenance page (the probe path too)"),
  ("want", "malfunction"),
  ("notes", "ambiguous: the operator's page says maintenance in HTML only (no Retry-After, no header downfor reads by default), and the probe path answers the same 503 (no information); the loud class is chosen. --html reads it (see live-nginx-maintenance-flag-file-html-rule); adding Retry-After makes it implied maintenance (live-nginx-maintenance-flag-file-retry-after)."),
  ("path", "/api/orders"), NOW],
  [("", "nginx-maint-503"), ("/down-for-maintenance", "nginx-maint-probe404")])
write("nginx-maintenance-flag-file-html-rule", [("product", NG), ("source", CAP + MAINT_CFG)] + MAINT_DOCS + [
  ("situation", "the same maintenance page, with the opt-in HTML rule on"),
  ("want", "maintenance"), ("html", "on"),
  ("notes", "the page's h1 writes the apostrophe as an entity (We&rsquo;ll be back soon!); its title \"Site Maintenance\" names the topic, not a state."),
  ("path", "/api/orders"), NOW],
  [("", "nginx-maint-503")])
write("nginx-maintenance-flag-file-retry-after", [("product", NG),
  ("source", CAP + MAINT_CFG.replace("location @maintenance {", "location @maintenance { add_header Retry-After 3600 always;"))] + MAINT_DOCS + [
  ("source", "https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header (always: also on error statuses)"),
  ("situation", "the operator's maintenance switch, with a Retry-After of an hour"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/api/orders"), NOW],
  [("", "nginx-maint-ra-503")])
write("nginx-maintenance-flag-file-json-accept", [("product", NG), ("source", CAP + MAINT_CFG + "; asked with Accept: application/json")] + MAINT_DOCS + [
  ("situation", "an API client asks for JSON during the operator's maintenance switch: nginx serves the same HTML page"),
  ("want", "malfunction"),
  ("notes", "ambiguous: the same bare 503 HTML page (no Retry-After); the loud class is chosen."),
  ("path", "/api/orders"), NOW],
  [("", "nginx-maint-503-json")])
write("nginx-spa-catch-all-502", [("product", NG),
  ("source", CAP + "location /api/ { proxy_pass http://127.0.0.1:19999; } location / { try_files $uri /index.html; }"),
  ("source", "https://nginx.org/en/docs/http/ngx_http_core_module.html#try_files"), ("source", SPECIAL),
  ("situation", "a single-page app's catch-all answers 200 index.html to /down-for-maintenance and to every other path, while the API behind /api/ is dead"),
  ("want", "malfunction"), ("strength", "explicit"),
  ("notes", "the probe's 200 is the catch-all's, not an announcement."),
  ("path", "/api/orders"), NOW],
  [("", "nginx-spa-502"), ("/down-for-maintenance", "nginx-spa-probe"), ("*", "nginx-spa-other")])
LR = "limit_req_zone $binary_remote_addr zone=one:1m rate=1r/m; location / { limit_req zone=one; ... } (the second request within the minute)"
write("nginx-503-limit-req", [("product", NG), ("source", CAP + LR),
  ("source", "https://nginx.org/en/docs/http/ngx_http_limit_req_module.html#limit_req_status (default 503)"), ("source", SPECIAL),
  ("situation", "the request is over the rate limit; limit_req_status left at its default"),
  ("want", "malfunction"),
  ("notes", "ambiguous: nginx's stock 503 page is the same for a rate limit and for \"return 503\"; no Retry-After. The loud class is chosen."),
  NOW],
  [("", "nginx-limit-503")])
write("nginx-429-limit-req-status", [("product", NG), ("source", CAP + LR + " limit_req_status 429;"),
  ("source", "https://nginx.org/en/docs/http/ngx_http_limit_req_module.html#limit_req_status"), ("source", SPECIAL),
  ("situation", "the request is over the rate limit, with limit_req_status 429"),
  ("want", "throttled"), NOW],
  [("", "nginx-limit-429")])
write("nginx-502-probe-file", [("product", NG),
  ("source", CAP + "location = /down-for-maintenance { default_type application/json; } (a static file) location / { proxy_pass http://127.0.0.1:19999; }"),
  ("source", "downfor README \"The well-known probe\" (GET /down-for-maintenance: 200 with an optional JSON body {\"until\", \"message\"})"), ("source", SPECIAL),
  ("situation", "the operator stopped the app and dropped the probe file in place"),
  ("want", "maintenance"), ("strength", "explicit"), ("path", "/api/orders"), NOW],
  [("", "nginx-probe-502"), ("/down-for-maintenance", "nginx-probe-file")])
PHP = "location ~ \\.php$ { include fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name; fastcgi_pass unix:/run/php-fpm.sock; } (PHP 8.2.36 php-fpm, Debian bookworm)"
PHPDOC = ("source", "https://nginx.org/en/docs/http/ngx_http_fastcgi_module.html#fastcgi_pass; https://www.php.net/manual/en/install.fpm.php")
write("nginx-php-fpm-502-stopped", [("product", NG + " with php-fpm 8.2"), ("source", CAP + PHP), PHPDOC, ("source", SPECIAL),
  ("situation", "php-fpm is stopped (its socket is gone)"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/index.php"), NOW],
  [("", "nginx-php-502-stopped")])
write("nginx-php-fpm-404-primary-script-unknown", [("product", NG + " with php-fpm 8.2"), ("source", CAP + PHP), PHPDOC,
  ("source", "php/php-src sapi/fpm/fpm/fpm_main.c (\"Primary script unknown\": Status 404, \"File not found.\")"),
  ("situation", "a .php path that does not exist: php-fpm answers \"File not found.\""),
  ("want", "client_error"), ("path", "/nope.php"), NOW],
  [("", "nginx-php-404")])
write("nginx-php-fpm-500-fatal-error", [("product", NG + " with php-fpm 8.2"), ("source", CAP + PHP + "; the script calls an undefined function; display_errors off (php-fpm's default)"), PHPDOC,
  ("situation", "the PHP script dies with a fatal error: php-fpm answers 500 with an empty body"),
  ("want", "malfunction"), ("path", "/fatal.php"), NOW],
  [("", "nginx-php-500")])
EP = ("root /var/www; location / { proxy_pass http://127.0.0.1:19999; } error_page 500 502 503 504 /maintenance.html; location = /maintenance.html { internal; } "
  "(maintenance.html: the widely copied \"Site Maintenance\" / \"We&rsquo;ll be back soon!\" page, gist pitch-gist/2999707)")
write("nginx-error-page-502-maintenance-page-html-rule", [("product", NG), ("source", CAP + EP),
  ("source", "https://nginx.org/en/docs/http/ngx_http_core_module.html#error_page"),
  ("situation", "the app is dead; the operator's friendly page, which says maintenance, is served for every upstream error (the probe path too), and the HTML rule is on"),
  ("want", "malfunction"), ("html", "on"),
  ("notes", "a real outage: the page is what error_page shows for any 500, 502, 503 or 504. The HTML rule reads a 503 or a 200 only."),
  ("path", "/api/orders"), NOW],
  [("", "nginx-errorpage-502"), ("/down-for-maintenance", "nginx-errorpage-probe")])
