"""Signals other apps may listen to, so they need not reach into the children app's writes.

`where_found_recorded` is sent, inside the writing transaction, whenever a missing episode is
saved with a place it was found (on recording the episode or on recording that the child was
found). Arguments: `episode`, `actor`, `now`.
"""

from django.dispatch import Signal

where_found_recorded = Signal()
