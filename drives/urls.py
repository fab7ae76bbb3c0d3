from django.urls import path

from drives.views import firms, staff

app_name = "drives"

urlpatterns = [
    # Centre staff
    path("", staff.drive_list, name="list"),
    path("new/", staff.create, name="create"),
    path("<int:pk>/", staff.detail, name="detail"),
    path("<int:pk>/listings/", staff.choose_listings, name="choose_listings"),
    path("<int:pk>/send/", staff.send, name="send"),
    path("<int:pk>/funnel.xlsx", staff.export, name="export"),
    # The firms
    path("digests/", firms.my_digests, name="my_digests"),
    path("digests/<str:token>/", firms.digest, name="digest"),
]
