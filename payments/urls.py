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
    # An auction deposit: the bidder pays it, the holding centre's staff record and confirm its transfer.
    path("deposits/<int:instalment_pk>/", views.deposit_page, name="deposit"),
    path("deposits/<int:instalment_pk>/card/", views.deposit_pay_by_card, name="deposit_pay_by_card"),
    path("deposits/<int:instalment_pk>/status/", views.deposit_status, name="deposit_status"),
    path(
        "deposits/<int:instalment_pk>/card/<int:payment_pk>/cancel/",
        views.deposit_cancel_card_attempt,
        name="deposit_cancel_card_attempt",
    ),
    path(
        "deposits/<int:instalment_pk>/transfer/announce/",
        views.deposit_declare_transfer,
        name="deposit_declare_transfer",
    ),
    path("deposits/<int:instalment_pk>/transfer/", views.deposit_record_transfer, name="deposit_record_transfer"),
    path(
        "deposits/<int:instalment_pk>/transfer/<int:payment_pk>/withdraw/",
        views.deposit_withdraw_transfer,
        name="deposit_withdraw_transfer",
    ),
    path(
        "deposits/<int:instalment_pk>/transfer/<int:payment_pk>/confirm/",
        views.deposit_confirm_transfer,
        name="deposit_confirm_transfer",
    ),
    path(
        "deposits/<int:instalment_pk>/transfer/<int:payment_pk>/reject/",
        views.deposit_reject_transfer,
        name="deposit_reject_transfer",
    ),
    path(
        "deposits/<int:instalment_pk>/transfer/<int:payment_pk>/evidence/",
        views.deposit_transfer_evidence,
        name="deposit_transfer_evidence",
    ),
    path("webhooks/stripe/", views.stripe_webhook, name="stripe_webhook"),
]
