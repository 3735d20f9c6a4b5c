"""Sign-in pages, under the back office's address (before the admin's own URLs)."""

from django.urls import path

from clustertalks.accounts import views

app_name = "accounts"

urlpatterns = [
    # The admin's login address, so reverse("admin:login") and LOGIN_URL lead here.
    path("login/", views.SignInView.as_view(), name="login"),
    path("account/", views.security, name="security"),
    path("account/verify/", views.verify, name="verify"),
    path("account/enrol/", views.enrol, name="enrol"),
    path("account/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
