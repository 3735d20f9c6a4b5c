from django.urls import path

from . import views

app_name = "newsletter"
urlpatterns = [
    path("newsletter/", views.signup, name="signup"),
    path("newsletter/thanks/", views.thanks, name="thanks"),
    path("newsletter/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/preferences/<str:token>/", views.preferences, name="preferences"),
    path("newsletter/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletter/archive/", views.archive, name="archive"),
    path("newsletter/archive/<int:pk>/", views.digest_detail, name="digest"),
]
