from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("save/", views.save, name="save"),
    path("saved/", views.saved_list, name="saved_list"),
    path("saved/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
    path("saved/<int:pk>/alerts/", views.saved_alerts, name="saved_alerts"),
]
