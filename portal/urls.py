from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    # Beside the organisation's own pages, but the roof's: the trail reads deals and payments, which the
    # organisations app (the ground) may not import.
    path("organisations/<int:pk>/audit/", views.organisation_audit, name="organisation_audit"),
    path("organisations/<int:pk>/audit.csv", views.organisation_audit_csv, name="organisation_audit_csv"),
]
