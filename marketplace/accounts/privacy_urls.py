from django.urls import path

from marketplace.accounts import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_notice, name="notice"),
    path("consent/", views.privacy_consent, name="consent"),
]
