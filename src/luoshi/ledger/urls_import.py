from django.urls import path

from luoshi.ledger import views_import as views

app_name = "imports"
urlpatterns = [
    path("<str:token>/", views.progress, name="progress"),
]
