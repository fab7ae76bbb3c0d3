from django.urls import path

from marketplace.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("register/", views.register, name="register"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.details_edit, name="details_edit"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/verify/", views.set_verified, name="set_verified"),
    path("<int:pk>/api-tokens/", views.api_tokens, name="api_tokens"),
    path("<int:pk>/api-tokens/<int:token_pk>/revoke/", views.api_token_revoke_view, name="api_token_revoke"),
    path("signatories/", views.signatory_queue, name="signatory_queue"),
    path("<int:pk>/signatories/", views.signatory_nominate_view, name="signatory_nominate"),
    path("<int:pk>/signatories/<int:signatory_pk>/letter/", views.signatory_letter, name="signatory_letter"),
    path("<int:pk>/signatories/<int:signatory_pk>/verify/", views.signatory_verify_view, name="signatory_verify"),
    path("<int:pk>/signatories/<int:signatory_pk>/refuse/", views.signatory_refuse_view, name="signatory_refuse"),
    path("<int:pk>/signatories/<int:signatory_pk>/revoke/", views.signatory_revoke_view, name="signatory_revoke"),
]
