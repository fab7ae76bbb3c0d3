"""The index outbox: index updates owed by committed listing changes, drained by the task runner."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0007_partition_keys_on_postgres'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndexOutbox',
            fields=[
                ('listing_id', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='listing')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('first_queued_at', models.DateTimeField(verbose_name='waiting since')),
                ('queued_at', models.DateTimeField(verbose_name='last change')),
                ('alert', models.BooleanField(default=False, verbose_name='alerts owed')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='failed attempts')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('next_attempt_at', models.DateTimeField(verbose_name='next attempt')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='being indexed since')),
            ],
            options={
                'verbose_name': 'listing waiting to be indexed',
                'verbose_name_plural': 'listings waiting to be indexed',
                'db_table': 'search_index_outbox',
                'ordering': ['first_queued_at', 'listing_id'],
                'indexes': [models.Index(fields=['next_attempt_at'], name='search_outbox_due')],
            },
        ),
    ]
