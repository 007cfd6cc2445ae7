vcl 4.1;
import std;
backend default { .host = "127.0.0.1"; .port = "19999"; .first_byte_timeout = 2s; }
backend slow { .host = "127.0.0.1"; .port = "19998"; .first_byte_timeout = 2s; }
backend garbage { .host = "127.0.0.1"; .port = "19997"; }
sub vcl_recv {
  if (req.url ~ "^/slow") { set req.backend_hint = slow; }
  if (req.url ~ "^/garbage") { set req.backend_hint = garbage; }
  if (req.url ~ "^/maint") {
    return (synth(503, "Maintenance"));
  }
  if (req.url ~ "^/maintpage") { return (synth(503, "Maintenance")); }
}
sub vcl_synth {
  if (resp.status == 503 && resp.reason == "Maintenance" && req.http.host ~ ":18382") {
    set resp.http.Content-Type = "text/html; charset=utf-8";
    set resp.http.Retry-After = "3600";
    synthetic(std.fileread("/tmp/live-lab/www/maint/maintenance.html"));
    return (deliver);
  }
}
