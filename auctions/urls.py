from django.urls import path

from auctions import views
from auctions.feeds import AuctionResultsFeed

app_name = "auctions"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("results/feed/", AuctionResultsFeed(), name="feed"),
    path("new/<int:listing_pk>/", views.round_new, name="new"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/register/", views.round_register, name="register"),
    path("<int:pk>/bid/", views.round_bid, name="bid"),
    path("<int:pk>/withdraw/", views.round_withdraw, name="withdraw"),
    path("<int:pk>/default/", views.round_default, name="default"),
]
