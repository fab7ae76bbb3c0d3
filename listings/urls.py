from django.urls import path

from listings.views import imports, moderation, public, workspace

app_name = "listings"

urlpatterns = [
    # Public (the finder at /patents/ itself is the search app's: search/urls.py)
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/documents/<int:attachment_pk>/", public.attachment, name="attachment"),
    path("<int:pk>/nda/", public.nda, name="nda"),
    # Seller workspace
    path("workspace/", workspace.my_listings, name="my_listings"),
    path("workspace/new/", workspace.create, name="create"),
    path("workspace/patent-lookup/", workspace.patent_lookup, name="patent_lookup"),
    path("workspace/<int:pk>/", workspace.edit, name="edit"),
    path("workspace/<int:pk>/terms/", workspace.terms, name="terms"),
    path("workspace/<int:pk>/attachments/", workspace.attachments, name="attachments"),
    path(
        "workspace/<int:pk>/attachments/<int:attachment_pk>/confidential/",
        workspace.attachment_confidential,
        name="attachment_confidential",
    ),
    path("workspace/<int:pk>/nda/", workspace.nda_text, name="nda_text"),
    path("workspace/<int:pk>/status/", workspace.change_status, name="change_status"),
    path("workspace/import/", imports.upload, name="import"),
    path("workspace/import/template.<str:fmt>", imports.template_download, name="import_template"),
    # Broker moderation
    path("moderation/", moderation.queue, name="moderation_queue"),
    path("moderation/<int:pk>/", moderation.review, name="moderation_review"),
]
