from django.urls import path

from . import views

app_name = "branding"
urlpatterns = [path("identity.css", views.stylesheet, name="stylesheet")]
