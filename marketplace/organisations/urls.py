from django.urls import path

from marketplace.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("register/", views.register, name="register"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/verify/", views.set_verified, name="set_verified"),
]
