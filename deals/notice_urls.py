from django.urls import path

from deals.feeds import PriceNoticesFeed
from deals.views import notices

app_name = "notices"

urlpatterns = [
    path("", notices.notice_list, name="list"),
    path("feed/", PriceNoticesFeed(), name="feed"),
    path("<int:pk>/", notices.notice_detail, name="detail"),
    path("<int:pk>/object/", notices.notice_object, name="object"),
    path("objections/", notices.objection_queue, name="objections"),
    path("objections/<int:pk>/resolve/", notices.objection_resolve, name="resolve"),
]
