from django.urls import path

from luoshi.ledger import views_units as views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_new, name="new"),
    path("export.xlsx", views.unit_export, name="export"),
    path("<int:pk>/", views.unit_edit, name="edit"),
    path("<int:pk>/aliases/", views.alias_add, name="alias_add"),
    path("<int:pk>/aliases/<int:alias_pk>/remove/", views.alias_remove, name="alias_remove"),
    path("<int:pk>/merge/", views.unit_merge, name="merge"),
]
