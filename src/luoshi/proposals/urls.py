from django.urls import path, re_path

from luoshi.proposals import feedback_views, public_views, stats_views, supervise_views, views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.register, name="register"),
    path("new/read/", views.read_file, name="read_file"),
    path("import/", views.import_list, name="import"),
    path("import/commit/", views.import_commit, name="import_commit"),
    path("supervise/", supervise_views.supervise, name="supervise"),
    path("public/", public_views.replies, name="public"),
    path("feedback/<str:token>/", feedback_views.feedback, name="feedback"),
    path("statistics/", stats_views.statistics, name="statistics"),
    re_path(r"^statistics\.(?P<fmt>xlsx|docx|pdf)$", stats_views.export, name="statistics_export"),
    path("<id:pk>/notices/<id:nid>/notice.docx", supervise_views.notice_docx, name="notice_docx"),
    path("<id:pk>/notices/<id:nid>/close/", supervise_views.notice_close, name="notice_close"),
    path("<id:pk>/notices/<id:nid>/escalate/", supervise_views.notice_escalate, name="notice_escalate"),
    path("<id:pk>/", views.proposal_detail, name="detail"),
    path("<id:pk>/assign/", views.assign, name="assign"),
    path("<id:pk>/adjust/", views.adjust, name="adjust"),
    path("<id:pk>/member/", views.member, name="member"),
    path("<id:pk>/leader/", views.leader, name="leader"),
    path("<id:pk>/communicate/", views.communicate, name="communicate"),
    path("<id:pk>/communications/<id:cid>/confirm/", views.confirm, name="confirm"),
    path("<id:pk>/opinion/", views.opinion, name="opinion"),
    path("<id:pk>/reply/", views.reply, name="reply"),
    path("<id:pk>/rate/", views.rate, name="rate"),
    path("<id:pk>/replies/<id:rid>/letter.docx", views.letter, name="letter"),
]
