from django.urls import path

from deals.views import deals

app_name = "deals"

urlpatterns = [
    path("", deals.my_deals, name="list"),
    path("why-we-passed/", deals.pass_reasons, name="pass_reasons"),
    path("<int:pk>/", deals.detail, name="detail"),
    path("<int:pk>/contract/", deals.contract, name="contract"),
    path("<int:pk>/contract.pdf", deals.contract_pdf, name="contract_pdf"),
    path("<int:pk>/sign/", deals.sign, name="sign"),
    path("<int:pk>/register/", deals.register, name="register"),
    path("<int:pk>/shares/", deals.shares, name="shares"),
    path("<int:pk>/cancel/", deals.cancel, name="cancel"),
]
