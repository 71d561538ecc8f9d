from django.urls import path

from luoshi.indicators import views, views_entities

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalogue.xlsx", views.catalogue_xlsx, name="catalogue_xlsx"),
    path("catalogue/upload/", views.catalogue_upload, name="catalogue_upload"),
    path("<id:pk>/", views.indicator, name="indicator"),
    path("<id:pk>/figures.xlsx", views.indicator_xlsx, name="indicator_xlsx"),
    path("import/", views.table_import, name="import"),
    path("import/<id:pk>/", views.batch, name="batch"),
    path("import/<id:pk>/commit/", views.batch_commit, name="batch_commit"),
    path("import/<id:pk>/discard/", views.batch_discard, name="batch_discard"),
    path("entities/", views_entities.entity_list, name="entities"),
    path("entities/new/", views_entities.entity_new, name="entity_new"),
    path("entities/<id:pk>/", views_entities.entity, name="entity"),
    path("documents/", views.document_upload, name="documents"),
    path("documents/<id:pk>/", views.document, name="document"),
    path("proposals/<id:pk>/decide/", views.decide, name="decide"),
]
