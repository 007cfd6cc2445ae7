SQ = "Squid 5.7 (Debian bookworm package 5.7-2+deb12u6), reverse proxy (accelerator)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:24:00Z")
EP = "squid-cache/squid src/errorpage.cc ErrorState::BuildHttpReply (X-Squid-Error) and errors/templates/"
DOC = ("source", "http://www.squid-cache.org/Doc/config/cache_peer/ (originserver); http://www.squid-cache.org/Doc/config/http_port/ (accel)")
write("squid-502-origin-refused", [("product", SQ),
  ("source", CAP + "http_port 127.0.0.1:18481 accel defaultsite=app.example no-vhost; cache_peer 127.0.0.1 parent 19999 0 no-query no-digest originserver; never_direct allow all (nothing listens on 19999)"),
  DOC, ("source", EP + "ERR_READ_ERROR"),
  ("situation", "the origin server refuses the connection; Squid 5.7 answers 502 ERR_READ_ERROR (not the ERR_CONNECT_FAIL 503 its source suggests)"),
  ("want", "malfunction"), ("strength", "explicit"),
  ("notes", "the Generated line and the request URL are as captured."),
  ("path", "/api/orders"), NOW], [("", "squid-dead")])
write("squid-504-read-timeout", [("product", SQ),
  ("source", CAP + "accel http_port with cache_peer 127.0.0.1 parent 19998 0 no-query originserver; read_timeout 3 seconds (the origin accepts and never answers)"),
  DOC, ("source", "http://www.squid-cache.org/Doc/config/read_timeout/"), ("source", EP + "ERR_READ_TIMEOUT"),
  ("situation", "the origin server hangs past read_timeout"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "squid-slow")])
write("squid-502-invalid-response", [("product", SQ),
  ("source", CAP + "accel http_port with cache_peer 127.0.0.1 parent 19997 0 no-query originserver (the origin sends a header line with a NUL byte)"),
  DOC, ("source", EP + "ERR_INVALID_RESP"),
  ("situation", "the origin server sends a broken response"),
  ("want", "malfunction"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "squid-garbage")])
