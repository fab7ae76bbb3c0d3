from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from marketplace.accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.account, name="account"),
    path("me/personal-data/", views.personal_data_download, name="personal_data"),
    path("me/close/", views.close_account, name="close"),
    path("two-step/", views.second_factor_settings, name="second_factor_settings"),
    path("two-step/code/", views.second_factor, name="second_factor"),
    path("two-step/set-up/", views.second_factor_setup, name="second_factor_setup"),
    path("two-step/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-step/recovery-codes.txt", views.recovery_codes_download, name="recovery_codes_download"),
    path("unlock/", views.unlock_request, name="unlock_request"),
    path("unlock/<str:token>/", views.unlock, name="unlock"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
