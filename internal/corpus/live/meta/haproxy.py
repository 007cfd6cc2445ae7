HP = "HAProxy 2.6.12 (Debian bookworm package 2.6.12-1+deb12u4)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:23:00Z")
ERRS = "haproxy/haproxy src/http.c http_err_msgs (the built-in error pages)"
DOC = "https://docs.haproxy.org/2.6/configuration.html"
write("haproxy-503-backend-health-checks-failed", [("product", HP), ("source", CAP + "backend dead; server app1 127.0.0.1:19999 check inter 500ms (nothing listens there)"),
  ("source", DOC + "#5.2-check"), ("source", ERRS),
  ("situation", "every server of the backend failed its health checks"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "haproxy-503-dead")])
write("haproxy-503-connection-refused", [("product", HP), ("source", CAP + "backend refused; server app1 127.0.0.1:19999 (no health check; nothing listens there)"),
  ("source", DOC + "#4.2-retries"), ("source", ERRS),
  ("situation", "the only server refuses the connection; HAProxy retries, then answers 503"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "haproxy-503-refused")])
write("haproxy-504-timeout-server", [("product", HP), ("source", CAP + "timeout server 2s; server app1 127.0.0.1:19998 (accepts and never answers)"),
  ("source", DOC + "#4.2-timeout%20server"), ("source", ERRS),
  ("situation", "the server does not answer within timeout server"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "haproxy-504")])
write("haproxy-502-invalid-response", [("product", HP), ("source", CAP + "server app1 127.0.0.1:19997 (answers a header line with a NUL byte)"),
  ("source", ERRS),
  ("situation", "the server sends a broken response"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "haproxy-502")])
write("haproxy-503-server-in-maint", [("product", HP), ("source", CAP + "server app1 127.0.0.1:19996 check disabled (the server starts in MAINT; \"set server be/app1 state maint\" on the runtime API does the same)"),
  ("source", DOC + "#5.2-disabled; https://docs.haproxy.org/2.6/management.html#9.3-set%20server"), ("source", ERRS),
  ("situation", "the operator put the only server in MAINT, HAProxy's own maintenance switch"),
  ("want", "malfunction"), ("strength", "explicit"),
  ("notes", "ambiguous: with its server in MAINT HAProxy sends byte for byte the 503 it sends when every server failed its checks; nothing tells the switch from the outage, so the loud class is chosen. Pair it with errorfile 503 carrying Retry-After, or the well-known probe."),
  ("path", "/api/orders"), NOW], [("", "haproxy-maint")])
EF = "errorfile 503 /etc/haproxy/maintenance.http (the operator's page: \"HTTP/1.0 503\", Cache-Control, Content-Type, the widely copied \"Site Maintenance\" / \"We&rsquo;ll be back soon!\" page, gist pitch-gist/2999707); server app1 ... check disabled"
write("haproxy-errorfile-503-maintenance-page", [("product", HP), ("source", CAP + EF), ("source", DOC + "#4.2-errorfile"),
  ("situation", "the operator's maintenance page served as errorfile 503 while the server is in MAINT"),
  ("want", "malfunction"),
  ("notes", "ambiguous: the page says maintenance in HTML only (no Retry-After), and errorfile 503 also answers when every server is down; the loud class is chosen. --html reads it (live-haproxy-errorfile-503-maintenance-page-html-rule)."),
  ("path", "/api/orders"), NOW], [("", "haproxy-maintfile")])
write("haproxy-errorfile-503-maintenance-page-html-rule", [("product", HP), ("source", CAP + EF), ("source", DOC + "#4.2-errorfile"),
  ("situation", "the same errorfile page, with the opt-in HTML rule on"),
  ("want", "maintenance"), ("html", "on"),
  ("notes", "with --html on, an errorfile 503 page that says maintenance is believed even when the servers are down rather than in MAINT: the operator's page makes that claim."),
  ("path", "/api/orders"), NOW], [("", "haproxy-maintfile")])
write("haproxy-http-request-return-json-maintenance", [("product", HP),
  ("source", CAP + "http-request return status 503 content-type application/json string \"{\\\"status\\\":\\\"maintenance\\\",\\\"message\\\":\\\"Back at 02:00 UTC\\\"}\" hdr Retry-After 3600; asked with Accept: application/json"),
  ("source", DOC + "#4.2-http-request%20return"),
  ("situation", "the operator's maintenance switch on the frontend: a JSON answer with a status flag and Retry-After"),
  ("want", "maintenance"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "haproxy-maintreturn")])
write("haproxy-429-deny-rate-limit", [("product", HP),
  ("source", CAP + "stick-table type ip size 1k expire 60s store http_req_rate(60s); http-request track-sc0 src; http-request deny deny_status 429 if { sc_http_req_rate(0) gt 1 }"),
  ("source", DOC + "#4.2-http-request%20deny"), ("source", ERRS + " [HTTP_ERR_429]"),
  ("situation", "the client is over the rate limit"),
  ("want", "throttled"), NOW], [("", "haproxy-429")])
