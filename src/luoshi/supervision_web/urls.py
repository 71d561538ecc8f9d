from django.urls import path

from luoshi.supervision_web import views

app_name = "supervision"
urlpatterns = [
    path("plans/<int:pk>/lights/", views.lights, name="lights"),
    path("plans/<int:pk>/notices/propose/", views.propose, name="propose"),
    path("plans/<int:pk>/bulletin/", views.bulletin, name="bulletin"),
    path("plans/<int:pk>/bulletin/produce/", views.bulletin_produce, name="bulletin_produce"),
    path("bulletins/<int:pk>/<str:fmt>/", views.bulletin_file, name="bulletin_file"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/move/", views.notice_move, name="notice_move"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
]
