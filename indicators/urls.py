from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("deals/", views.drilldown, name="drilldown"),
    path("export/", views.export, name="export"),
    path("report/", views.report, name="report"),
    path("targets/", views.targets, name="targets"),
    # The figures as JSON moved to the open API, /api/v1/indicators; old links and clients are sent there.
    path("api/", views.api_moved, name="api"),
]
