"""What the drives app announces."""

from django.dispatch import Signal

# A drive was sent (it is now "sending"): the task runner writes its pairs and delivers its digests. Args: drive.
drive_sent = Signal()
