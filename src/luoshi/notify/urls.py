from django.urls import path

from luoshi.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.channel_list, name="channels"),
    path("new/", views.channel_new, name="new"),
    path("mine/", views.my_channels, name="mine"),
    path("mine/new/", views.my_channel_new, name="my_new"),
    path("<id:pk>/", views.channel_edit, name="edit"),
    path("<id:pk>/test/", views.channel_test, name="test"),
]
