from django.urls import path

from marketplace.centres import views

app_name = "centres"

urlpatterns = [path("", views.network, name="network")]
