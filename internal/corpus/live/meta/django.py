DJ = "Django 3.2.25 (Debian bookworm python3-django) on gunicorn 20.1.0 (Debian bookworm)"
CAP = "captured live on 127.0.0.1 with curl -sS -i --raw; "
NOW = ("now", "2026-12-01T23:28:00Z")
SET = "settings: DEBUG=False, ALLOWED_HOSTS=[\"127.0.0.1\"]; gunicorn -b 127.0.0.1:18781 -w 1 app:application"
write("django-500-debug-off", [("product", DJ), ("source", CAP + SET + "; the view raises RuntimeError"),
  ("source", "django/django django/views/defaults.py server_error (DEFAULT ERROR_500_TEMPLATE: \"Server Error (500)\")"),
  ("source", "https://docs.djangoproject.com/en/3.2/ref/views/#the-500-server-error-view"),
  ("situation", "an unhandled exception with DEBUG off: Django's stock 500 page; the probe path gets Django's stock 404"),
  ("want", "malfunction"), ("path", "/api/boom"), NOW], [("", "django-500"), ("/down-for-maintenance", "django-404")])
MM = ("django-maintenance-mode 0.16.1 (Debian bookworm python3-django-maintenance-mode); settings: MAINTENANCE_MODE=True, "
  "MIDDLEWARE += maintenance_mode.middleware.MaintenanceModeMiddleware, the project's own templates/503.html "
  "(\"Down for maintenance\"; the Debian package ships no template); defaults MAINTENANCE_MODE_STATUS_CODE 503, MAINTENANCE_MODE_RETRY_AFTER 3600")
MDOC = ("source", "fabiocaccamo/django-maintenance-mode README (Installation, Configuration) and maintenance_mode/http.py get_maintenance_response")
write("django-maintenance-mode", [("product", DJ + " with django-maintenance-mode 0.16.1"), ("source", CAP + MM), MDOC,
  ("situation", "maintenance mode on: every path answers 503 with Retry-After: 3600 (the probe path too)"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/api/orders"), NOW],
  [("", "django-maint"), ("/down-for-maintenance", "django-maint-probe")])
write("django-maintenance-mode-json-accept", [("product", DJ + " with django-maintenance-mode 0.16.1"), ("source", CAP + MM + "; asked with Accept: application/json"), MDOC,
  ("situation", "an API client asks for JSON during maintenance mode: the same HTML 503 with Retry-After: 3600"),
  ("want", "maintenance"), ("strength", "implied"), ("path", "/api/orders"), NOW], [("", "django-maint-json")])
write("gunicorn-500-wsgi-exception", [("product", "gunicorn 20.1.0 (Debian bookworm package 20.1.0-6+deb12u1)"),
  ("source", CAP + "gunicorn -b 127.0.0.1:18783 -w 1 rawapp:application, a WSGI app that raises RuntimeError"),
  ("source", "benoitc/gunicorn gunicorn/workers/base.py handle_error and gunicorn/util.py write_error (\"Internal Server Error\")"),
  ("situation", "the WSGI application raises: gunicorn's own 500 page"),
  ("want", "malfunction"), ("path", "/api/orders"), NOW], [("", "gunicorn-500")])
