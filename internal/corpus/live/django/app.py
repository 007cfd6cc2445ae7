import os
from django.conf import settings
from django.urls import path
from django.http import HttpResponse, JsonResponse

MAINT = os.environ.get("LIVE_MAINT") == "1"
settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="live-lab-not-secret",
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "maintenance_mode"],
    MIDDLEWARE=["django.middleware.common.CommonMiddleware", "maintenance_mode.middleware.MaintenanceModeMiddleware"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "DIRS": ["/tmp/live-lab/django/site/templates"],
                "OPTIONS": {"context_processors": ["django.template.context_processors.request"]}}],
    DATABASES={},
    MAINTENANCE_MODE=MAINT,
    MAINTENANCE_MODE_STATE_FILE_PATH="/tmp/live-lab/django/maintenance_mode_state.txt",
)

def orders(request):
    return JsonResponse({"orders": []})

def boom(request):
    raise RuntimeError("database connection lost")

urlpatterns = [path("api/orders", orders), path("api/boom", boom)]

import django
django.setup()
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
