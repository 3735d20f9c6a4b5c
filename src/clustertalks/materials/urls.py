from django.urls import path

from . import views

app_name = "materials"
urlpatterns = [
    path("talks/<slug:slug>/recording/<int:pk>/", views.recording_detail, name="recording"),
    path("talks/<slug:slug>/recording/<int:pk>/captions.vtt", views.captions, name="captions"),
]
