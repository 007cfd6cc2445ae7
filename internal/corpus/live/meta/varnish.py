VN = "Varnish Cache 7.1.1 (Debian bookworm package 7.1.1-2+deb12u1)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:23:00Z")
BUILTIN = "varnishcache/varnish-cache bin/varnishd/builtin.vcl vcl_builtin_backend_error and vcl_builtin_synth (the Guru Meditation page, with Retry-After: 5 on every synthetic and backend-error response)"
BDOC = ("source", "https://varnish-cache.org/docs/7.1/users-guide/vcl-backends.html (.first_byte_timeout)")
write("varnish-503-backend-refused", [("product", VN), ("source", CAP + "backend default { .host = \"127.0.0.1\"; .port = \"19999\"; } (nothing listens there)"), BDOC, ("source", BUILTIN),
  ("situation", "the backend refuses the connection: Backend fetch failed"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "varnish-503-refused")])
write("varnish-503-first-byte-timeout", [("product", VN), ("source", CAP + "backend slow { ... .first_byte_timeout = 2s; } (accepts and never answers)"), BDOC, ("source", BUILTIN),
  ("situation", "the backend hangs past first_byte_timeout: Backend fetch failed"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/slow/api/orders"), NOW], [("", "varnish-503-timeout")])
write("varnish-503-backend-garbage", [("product", VN), ("source", CAP + "backend garbage { .host = \"127.0.0.1\"; .port = \"19997\"; } (a header line with a NUL byte)"), BDOC, ("source", BUILTIN),
  ("situation", "the backend sends a broken response: Backend fetch failed"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/garbage/api/orders"), NOW], [("", "varnish-503-garbage")])
SYN = "sub vcl_recv { if (req.url ~ \"^/maint\") { return (synth(503, \"Maintenance\")); } } (no vcl_synth of its own: the built-in page)"
SDOC = ("source", "https://varnish-cache.org/docs/7.1/reference/vcl-step.html (vcl_recv: synth(status code, reason))")
write("varnish-synth-503-maintenance", [("product", VN), ("source", CAP + SYN), SDOC, ("source", BUILTIN),
  ("situation", "the operator's maintenance switch in VCL: a synthetic 503 whose reason phrase is \"Maintenance\"; the built-in synth page repeats it and adds Retry-After: 5"),
  ("want", "maintenance"), ("strength", "implied"),
  ("notes", "the reason phrase is the operator's own words (the stock one is \"Service Unavailable\"); Retry-After: 5 is the built-in one every synthetic response gets, a retry hint, not a window."),
  ("path", "/maint/api/orders"), NOW], [("", "varnish-synth-maint")])
write("varnish-synth-503-maintenance-page", [("product", VN),
  ("source", CAP + SYN + "; sub vcl_synth { if (resp.status == 503 && resp.reason == \"Maintenance\") { set resp.http.Content-Type = \"text/html; charset=utf-8\"; set resp.http.Retry-After = \"3600\"; synthetic(std.fileread(\"/etc/varnish/maintenance.html\")); return (deliver); } } (the widely copied \"Site Maintenance\" page, gist pitch-gist/2999707)"),
  SDOC, ("source", "https://varnish-cache.org/docs/7.1/reference/vmod_std.html#std-fileread"),
  ("situation", "the operator's maintenance switch in VCL with its own page and a Retry-After of an hour"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/maint/api/orders"), NOW], [("", "varnish-synth-maintpage")])
