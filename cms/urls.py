from django.urls import path

from cms import views
from cms.feeds import PolicyNewsFeed

app_name = "cms"

urlpatterns = [
    path("policy/", views.policy_index, name="policy_index"),
    path("policy/feed/", PolicyNewsFeed(), name="policy_feed"),
]
