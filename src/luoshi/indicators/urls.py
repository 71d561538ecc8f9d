from django.urls import path

from luoshi.indicators import scorecard_views as sv
from luoshi.indicators import views, views_crosscity, views_entities, views_index

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
    path("targets/<id:pk>/link/", views_entities.link_target, name="link_target"),
    path("services/", views_crosscity.item_list, name="crosscity"),
    path("services/new/", views_crosscity.item_new, name="crosscity_new"),
    path("services/<id:pk>/", views_crosscity.item, name="crosscity_item"),
    path("services/sync/", views_crosscity.sync, name="crosscity_sync"),
    path("services/items.xlsx", views_crosscity.items_xlsx, name="crosscity_xlsx"),
    path("services/import/", views_crosscity.upload, name="crosscity_upload"),
    path("services/import/<id:pk>/", views_crosscity.review, name="crosscity_import"),
    path("services/import/<id:pk>/commit/", views_crosscity.commit, name="crosscity_commit"),
    path("services/import/<id:pk>/discard/", views_crosscity.discard, name="crosscity_discard"),
    path("index/", views_index.run_list, name="index"),
    path("index/<id:pk>/", views_index.run_page, name="index_run"),
    path("index/<id:pk>/check/", views_index.run_check, name="index_check"),
    path("index/<id:pk>/index.xlsx", views_index.run_xlsx, name="index_xlsx"),
    path("documents/", views.document_upload, name="documents"),
    path("documents/<id:pk>/", views.document, name="document"),
    path("proposals/<id:pk>/decide/", views.decide, name="decide"),
    path("scorecards/", sv.scorecard_list, name="scorecards"),
    path("scorecards/public/", sv.public_scorecards, name="public_scorecards"),
    path("scorecards/<id:pk>/", sv.scorecard, name="scorecard"),
    path("scorecards/<id:pk>/edit/", sv.scorecard_edit, name="scorecard_edit"),
    path("scorecards/<id:pk>/refresh/", sv.scorecard_refresh, name="scorecard_refresh"),
    path("scorecards/<id:pk>/publish/", sv.scorecard_publish, name="scorecard_publish"),
    path("scorecards/<id:pk>/scorecard.<str:fmt>", sv.scorecard_file, name="scorecard_file"),
]
