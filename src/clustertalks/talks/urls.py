from django.urls import path

from . import views

app_name = "talks"
urlpatterns = [
    path("", views.home, name="home"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("talks/", views.archive, name="archive"),
    path("talks/<slug:slug>/", views.talk_detail, name="talk"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
]
