from django.urls import path

from . import views

app_name = "captions"
urlpatterns = [
    path("talks/<slug:slug>/recording/<int:pk>/chapters.vtt", views.chapters, name="chapters"),
    path("talks/<slug:slug>/recording/<int:pk>/captions-<slug:language>.vtt", views.track,
         name="track"),
]
