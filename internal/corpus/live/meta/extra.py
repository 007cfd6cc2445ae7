NG = "nginx 1.22.1 (Debian bookworm package 1.22.1-9+deb12u11)"
AP = "Apache httpd 2.4.71 (Debian bookworm package 2.4.71-1~deb12u1)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; config: "
NOW = ("now", "2026-12-01T23:33:00Z")
write("nginx-maintenance-json-return", [("product", NG),
  ("source", CAP + "if (-f $document_root/maintenance.flag.html) { return 503; } error_page 503 @maintenance; location @maintenance { default_type application/json; return 503 '{\"status\":\"maintenance\",\"message\":\"Scheduled maintenance until 02:00 UTC\"}'; }; asked with Accept: application/json"),
  ("source", "https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return (return code text); https://nginx.org/en/docs/http/ngx_http_core_module.html#error_page"),
  ("situation", "an API's maintenance switch in nginx answering a JSON status flag"),
  ("want", "maintenance"), ("strength", "explicit"), ("path", "/api/orders"), NOW], [("", "nginx-json-maint")])
PHP = "PHP 8.2.36 php-fpm behind fastcgi_pass (Debian bookworm)"
HDOC = ("source", "https://www.php.net/manual/en/function.header.php (a status line given to header()); https://www.php.net/manual/en/function.http-response-code.php")
write("php-fpm-503-retry-after", [("product", NG + " with " + PHP),
  ("source", CAP + "maint.php: http_response_code(503); header('Retry-After: 3600'); then a page \"Down for maintenance\""), HDOC,
  ("situation", "a PHP application's own maintenance switch: 503 with Retry-After of an hour"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/maint.php"), NOW], [("", "php-maint")])
write("php-fpm-503-reason-phrase-nginx", [("product", NG + " with " + PHP),
  ("source", CAP + "maint-reason.php: header('HTTP/1.1 503 Down for Maintenance'); no Retry-After"), HDOC,
  ("situation", "a PHP application's own maintenance switch that says so in the status line; nginx passes the reason phrase on"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/maint-reason.php"), NOW], [("", "php-maint-reason")])
write("php-fpm-503-reason-phrase-apache", [("product", AP + " with mod_proxy_fcgi and " + PHP),
  ("source", CAP + "maint-reason.php: header('HTTP/1.1 503 Down for Maintenance'); no Retry-After"), HDOC,
  ("source", "https://httpd.apache.org/docs/2.4/mod/mod_proxy_fcgi.html"),
  ("situation", "the same PHP switch behind Apache, which passes the reason phrase on too"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/maint-reason.php"), NOW], [("", "apache-php-maint-reason")])
