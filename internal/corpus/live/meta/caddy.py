CD = "Caddy 2.6.2 (Debian bookworm package 2.6.2-5)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; Caddyfile: "
NOW = ("now", "2026-12-01T23:27:00Z")
RP = ("source", "https://caddyserver.com/docs/caddyfile/directives/reverse_proxy")
SRC = ("source", "caddyserver/caddy modules/caddyhttp/reverseproxy/reverseproxy.go statusError and modules/caddyhttp/server.go ServeHTTP (no error routes: the status alone, no body)")
write("caddy-502-upstream-refused", [("product", CD), ("source", CAP + "reverse_proxy 127.0.0.1:19999 (nothing listens there)"), RP, SRC,
  ("situation", "the app behind the proxy is dead: connection refused; Caddy answers 502 with no body"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "caddy-dead")])
write("caddy-504-response-header-timeout", [("product", CD), ("source", CAP + "reverse_proxy 127.0.0.1:19998 { transport http { response_header_timeout 2s } } (accepts and never answers)"), RP, SRC,
  ("situation", "the app hangs past response_header_timeout"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "caddy-slow")])
MC = ("root * /srv; @maint file /maintenance.html; handle @maint { error \"Down for maintenance\" 503 }; reverse_proxy app:8080; "
  "handle_errors { rewrite * /maintenance.html; file_server } (maintenance.html: the widely copied \"Site Maintenance\" / \"We&rsquo;ll be back soon!\" page, gist pitch-gist/2999707)")
MDOC = ("source", "https://caddyserver.com/docs/caddyfile/directives/error; https://caddyserver.com/docs/caddyfile/directives/handle_errors; https://caddyserver.com/docs/caddyfile/matchers#file")
write("caddy-maintenance-handle-errors-page", [("product", CD), ("source", CAP + MC), MDOC,
  ("situation", "the operator's maintenance switch: while maintenance.html exists every path errors with 503 and handle_errors serves the page (the probe path too)"),
  ("want", "malfunction"),
  ("notes", "ambiguous: the message given to error (\"Down for maintenance\") stays in Caddy's logs; the client gets the HTML page only (no Retry-After), and the probe path the same 503 (no information); the loud class is chosen. --html reads it (live-caddy-maintenance-handle-errors-page-html-rule)."),
  ("path", "/api/orders"), NOW], [("", "caddy-maint"), ("/down-for-maintenance", "caddy-maint-probe")])
write("caddy-maintenance-handle-errors-page-html-rule", [("product", CD), ("source", CAP + MC), MDOC,
  ("situation", "the same maintenance page, with the opt-in HTML rule on"),
  ("want", "maintenance"), ("html", "on"), ("path", "/api/orders"), NOW], [("", "caddy-maint")])
write("caddy-respond-503-text", [("product", CD), ("source", CAP + "respond \"Down for maintenance\" 503"),
  ("source", "https://caddyserver.com/docs/caddyfile/directives/respond"),
  ("situation", "the operator's maintenance switch as a one-line respond: a short plain-text message"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/api/orders"), NOW], [("", "caddy-respond")])
write("caddy-spa-try-files-catch-all-502", [("product", CD),
  ("source", CAP + "handle /api/* { reverse_proxy 127.0.0.1:19999 } handle { try_files {path} /index.html; file_server }"),
  ("source", "https://caddyserver.com/docs/caddyfile/patterns#single-page-apps-spas"), RP, SRC,
  ("situation", "a single-page app's try_files answers 200 index.html to /down-for-maintenance and every other path, while the API behind /api/ is dead"),
  ("want", "malfunction"), ("strength", "explicit"),
  ("notes", "the probe's 200 is the catch-all's, not an announcement."),
  ("path", "/api/orders"), NOW],
  [("", "caddy-spa-502"), ("/down-for-maintenance", "caddy-spa-probe"), ("*", "caddy-spa-other")])
