from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("attention/", views.attention, name="attention"),
    path("deals/<int:pk>/", views.deal_payments, name="deal"),
    path("deals/<int:pk>/card/", views.pay_by_card, name="pay_by_card"),
    path("deals/<int:pk>/instalments/<int:instalment_pk>/status/", views.instalment_status, name="status"),
    path("deals/<int:pk>/card/<int:payment_pk>/cancel/", views.cancel_card_attempt, name="cancel_card_attempt"),
    path("deals/<int:pk>/cards/<int:card_pk>/auto-pay/", views.saved_card_auto_pay, name="saved_card_auto_pay"),
    path("deals/<int:pk>/cards/<int:card_pk>/forget/", views.saved_card_forget, name="saved_card_forget"),
    path("deals/<int:pk>/transfer/announce/", views.declare_transfer, name="declare_transfer"),
    path("deals/<int:pk>/transfer/", views.record_transfer, name="record_transfer"),
    path("deals/<int:pk>/transfer/<int:payment_pk>/withdraw/", views.withdraw_transfer, name="withdraw_transfer"),
    path("deals/<int:pk>/transfer/<int:payment_pk>/confirm/", views.confirm_transfer, name="confirm_transfer"),
    path("deals/<int:pk>/transfer/<int:payment_pk>/reject/", views.reject_transfer, name="reject_transfer"),
    path("deals/<int:pk>/transfer/<int:payment_pk>/evidence/", views.transfer_evidence, name="transfer_evidence"),
    path("deals/<int:pk>/refund/", views.refund, name="refund"),
    path("deals/<int:pk>/royalty/", views.report_royalty, name="report_royalty"),
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
]
