from django.urls import path

from marketplace.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("deals/", views.drilldown, name="drilldown"),
    path("export/", views.export, name="export"),
    path("report/", views.report, name="report"),
    # The open API (views.api_figures), also meant to be mounted at /api/v1/indicators by the project urls.
    path("api/", views.api_figures, name="api"),
]
