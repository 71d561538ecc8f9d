from django.urls import path

from luoshi.ledger import views_units as views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_new, name="new"),
    path("export.xlsx", views.unit_export, name="export"),
    path("<id:pk>/", views.unit_edit, name="edit"),
    path("<id:pk>/aliases/", views.alias_add, name="alias_add"),
    path("<id:pk>/aliases/<id:alias_pk>/remove/", views.alias_remove, name="alias_remove"),
    path("<id:pk>/merge/", views.unit_merge, name="merge"),
]
