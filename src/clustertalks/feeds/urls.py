from django.urls import path

from . import views

app_name = "feeds"
urlpatterns = [
    path("talks/<slug:slug>/calendar.ics", views.talk_ics, name="talk_ics"),
]
