LT = "lighttpd 1.4.69 (Debian bookworm package 1.4.69-1)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:26:00Z")
PDOC = ("source", "https://redmine.lighttpd.net/projects/lighttpd/wiki/Docs_ModProxy (proxy.server, connect-timeout, read-timeout)")
write("lighttpd-503-proxy-refused", [("product", LT), ("source", CAP + "proxy.server = ( \"\" => ( ( \"host\" => \"127.0.0.1\", \"port\" => 19999 ) ) ) (nothing listens there)"), PDOC,
  ("situation", "the backend refuses the connection: lighttpd answers its built-in 503 error document (\"all handlers ... are down\" in its log)"),
  ("want", "malfunction"), ("path", "/api/orders"), NOW], [("", "lighttpd-dead")])
write("lighttpd-504-proxy-read-timeout", [("product", LT), ("source", CAP + "proxy.server = ( \"\" => ( ( \"host\" => \"127.0.0.1\", \"port\" => 19998, \"connect-timeout\" => 2, \"read-timeout\" => 3 ) ) ) (accepts and never answers)"), PDOC,
  ("situation", "the backend hangs past read-timeout"),
  ("want", "malfunction"), ("path", "/api/orders"), NOW], [("", "lighttpd-slow")])
MAG = ("magnet.attract-physical-path-to = ( \"maint.lua\" ); maint.lua: if lighty.c.stat(docroot .. \"/maintenance.flag\") then "
  "r.resp_header[\"Content-Type\"] = \"text/html\"; r.resp_body:set({ { filename = docroot .. \"/maintenance.html\" } }); return 503 end "
  "(maintenance.html: the widely copied \"Site Maintenance\" / \"We&rsquo;ll be back soon!\" page, gist pitch-gist/2999707)")
MDOC = ("source", "https://redmine.lighttpd.net/projects/lighttpd/wiki/Docs_ModMagnet (lighty.r.resp_body:set, lighty.c.stat, returning a status)")
write("lighttpd-magnet-maintenance", [("product", LT + " with mod_magnet"), ("source", CAP + MAG), MDOC,
  ("situation", "the operator's maintenance switch in Lua: while a flag file exists every path answers 503 with a static page (the probe path too)"),
  ("want", "malfunction"),
  ("notes", "ambiguous: the operator's page says maintenance in HTML only (no Retry-After), and the probe path answers the same 503 (no information); the loud class is chosen. --html reads it (live-lighttpd-magnet-maintenance-html-rule)."),
  ("path", "/api/orders"), NOW], [("", "lighttpd-maint"), ("/down-for-maintenance", "lighttpd-maint-probe")])
write("lighttpd-magnet-maintenance-html-rule", [("product", LT + " with mod_magnet"), ("source", CAP + MAG), MDOC,
  ("situation", "the same maintenance page, with the opt-in HTML rule on"),
  ("want", "maintenance"), ("html", "on"), ("path", "/api/orders"), NOW], [("", "lighttpd-maint")])
write("lighttpd-error-handler-404-catch-all-503", [("product", LT),
  ("source", CAP + "server.error-handler-404 = \"/index.html\"; $HTTP[\"url\"] =~ \"^/api/\" { proxy.server = ( \"\" => ( ( \"host\" => \"127.0.0.1\", \"port\" => 19999 ) ) ) }"),
  ("source", "https://redmine.lighttpd.net/projects/lighttpd/wiki/Server_error-handler-404Details"), PDOC,
  ("situation", "a single-page app's 404 handler answers 200 index.html to /down-for-maintenance and every other path, while the API behind /api/ is dead (503)"),
  ("want", "malfunction"),
  ("notes", "the probe's 200 is the catch-all's, not an announcement."),
  ("path", "/api/orders"), NOW],
  [("", "lighttpd-spa-502"), ("/down-for-maintenance", "lighttpd-spa-probe"), ("*", "lighttpd-spa-other")])
