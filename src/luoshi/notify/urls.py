from django.urls import path

from luoshi.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.channel_list, name="channels"),
    path("new/", views.channel_new, name="new"),
    path("<id:pk>/", views.channel_edit, name="edit"),
    path("<id:pk>/test/", views.channel_test, name="test"),
]
