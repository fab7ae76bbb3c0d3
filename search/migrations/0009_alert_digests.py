"""Saved-search alert mails become an hourly digest: a hit is marked when a digest has mailed it.

Hits made before this migration were mailed one by one as they were found: they are marked mailed, so the first
digest does not send them again.
"""

from django.db import migrations, models
from django.db.models import F


def mark_earlier_hits_mailed(apps, schema_editor):
    apps.get_model("search", "SavedSearchHit").objects.filter(mailed_at=None).update(mailed_at=F("notified_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0002_listingterms_express_ordinary'),
        ('search', '0008_index_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='savedsearchhit',
            name='mailed_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='savedsearchhit',
            index=models.Index(condition=models.Q(('mailed_at__isnull', True)), fields=['saved_search'], name='search_hit_unmailed'),
        ),
        migrations.RunPython(mark_earlier_hits_mailed, migrations.RunPython.noop, elidable=True),
    ]
