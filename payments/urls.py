from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("deals/<int:pk>/", views.deal_payments, name="deal"),
    path("deals/<int:pk>/card/", views.pay_by_card, name="pay_by_card"),
    path("deals/<int:pk>/transfer/", views.record_transfer, name="record_transfer"),
    path("deals/<int:pk>/transfer/<int:payment_pk>/confirm/", views.confirm_transfer, name="confirm_transfer"),
    path("deals/<int:pk>/transfer/<int:payment_pk>/evidence/", views.transfer_evidence, name="transfer_evidence"),
    path("deals/<int:pk>/refund/", views.refund, name="refund"),
    path("deals/<int:pk>/royalty/", views.report_royalty, name="report_royalty"),
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
]
