from django.urls import path

from marketplace.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
]
