from django.urls import path

from luoshi.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public, name="public"),
    path("plans/", views.plans, name="plans"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<id:pk>/reimport/", views.import_upload, name="reimport"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export.xlsx", views.ledger_export, name="export"),
    path("tasks/<id:pk>/", views.task_detail, name="task"),
    path("tasks/<id:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<id:pk>/report/", views.report_submit, name="report"),
    path("tasks/<id:pk>/contribute/", views.contribute, name="contribute"),
    path("reports/<id:pk>/return/", views.report_return, name="report_return"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    path("mine/", views.mine, name="mine"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("import/", views.import_upload, name="import"),
    path("import/<id:pk>/", views.import_review, name="import_review"),
    path("import/<id:pk>/units/", views.import_units, name="import_units"),
]
