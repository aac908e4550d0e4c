"""Making many small objects at once without paying for the cycle collector's full passes.

The agenda, its reads and the duplicate pairing each make hundreds of thousands of tuples,
dates and small dicts in a large book, none of them in a cycle; yet so many new objects set
off full collections that walk everything the process holds (the app's widgets too). The
collector waits while they are made, and runs again afterwards if it was running before.

Put back on, the collector would first walk every object made meanwhile (they are all still
"young"): a tenth of a second at 100,000 customers. They are moved to the oldest generation
at once instead, where only the rare full collection looks at them, as it would once they
had survived two younger ones.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the ``with`` block; back as it was after it."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            if gc.get_freeze_count() == 0:
                # freeze + unfreeze: every tracked object into the oldest generation, in two
                # list splices. Not when something is frozen already (the customer list freezes
                # what the app holds): unfreezing would hand that back to the collector.
                gc.freeze()
                gc.unfreeze()
            gc.enable()
