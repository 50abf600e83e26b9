from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    # One way in: the admin's own sign-in page would skip the limits the app's has (the
    # per-account ceiling, the per-address counter), so it sends people to the app's.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("", include("frontend.urls")),
]

handler500 = "passport.project.middleware.server_error"
