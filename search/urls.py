from django.urls import path

from search import views

app_name = "search"

# Included at the root by config/urls.py: the finder is /patents/ (the listing pages below it, /patents/<id>/
# and the workspace, are the listings app's); /search/ was the search page and redirects to it.
urlpatterns = [
    path("patents/", views.finder, name="finder"),
    path("search/", views.old_search, name="old_search"),
    path("search/save/", views.save, name="save"),
    path("search/saved/", views.saved_list, name="saved_list"),
    path("search/saved/<int:pk>/delete/", views.saved_delete, name="saved_delete"),
    path("search/saved/<int:pk>/alerts/", views.saved_alerts, name="saved_alerts"),
]
