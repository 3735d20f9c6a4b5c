from django.urls import path

from . import views

app_name = "registrations"
urlpatterns = [
    path("talks/<slug:slug>/register/", views.register, name="register"),
    path("talks/<slug:slug>/register/next/", views.registered, name="registered"),
    path("registration/<str:signed>/", views.manage, name="manage"),
    path("registration/<str:signed>/calendar.ics", views.calendar, name="calendar"),
    path("registration/<str:signed>/details/", views.details, name="details"),
    path("registration/<str:signed>/data.json", views.data, name="data"),
    path("registration/<str:signed>/erase/", views.erase, name="erase"),
    path("j/<str:token>", views.join, name="join"),
]
