from django.urls import path

from luoshi.supervision_web import views

app_name = "supervision"
urlpatterns = [
    path("plans/<id:pk>/lights/", views.lights, name="lights"),
    path("plans/<id:pk>/notices/propose/", views.propose, name="propose"),
    path("plans/<id:pk>/bulletin/", views.bulletin, name="bulletin"),
    path("plans/<id:pk>/bulletin/produce/", views.bulletin_produce, name="bulletin_produce"),
    path("bulletins/<id:pk>/<str:fmt>/", views.bulletin_file, name="bulletin_file"),
    path("notices/", views.notices, name="notices"),
    path("notices/<id:pk>/", views.notice_detail, name="notice"),
    path("notices/<id:pk>/move/", views.notice_move, name="notice_move"),
    path("notices/<id:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<id:pk>/notice.docx", views.notice_docx, name="notice_docx"),
]
