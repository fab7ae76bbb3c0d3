from django.urls import path

from deals.views import room

app_name = "negotiations"

urlpatterns = [
    path("", room.my_negotiations, name="list"),
    path("enquire/<int:listing_pk>/", room.enquire, name="enquire"),
    path("express/<int:listing_pk>/", room.express, name="express"),
    path("<int:pk>/", room.room, name="room"),
    path("<int:pk>/messages/", room.post_message, name="post_message"),
    path("<int:pk>/offers/", room.propose, name="propose"),
    path("<int:pk>/offers/<int:offer_pk>/<str:action>/", room.offer_action, name="offer_action"),
    path("<int:pk>/pass/", room.pass_negotiation, name="pass"),
    path("<int:pk>/decline/", room.decline, name="decline"),
    path("<int:pk>/history.json", room.history_json, name="history_json"),
]
