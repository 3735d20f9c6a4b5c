from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("statistics/", views.overall, name="statistics"),
    path("series/<slug:slug>/statistics/", views.series_statistics, name="series_statistics"),
]
