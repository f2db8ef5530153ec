from __future__ import annotations

import ctypes
import ctypes.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# glibc's mallopt(3) parameter: allocations from this size up are mapped on their own, and
# unmapped when freed.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1 << 20


def _return_large_blocks_to_the_system() -> None:
    """Decoded pictures (a few to 100 MB in blocks of up to 16 MB) go back to the system
    when freed. By default glibc raises its threshold after the first large block is freed,
    and each thread's arena then keeps the memory of the largest photo it decoded: with 4
    threads in each of 2 × cores + 1 processes, that is the server's memory for photos,
    whatever ``photos.DECODE_SLOTS`` bounds (measured in ``bench/uploads.py``)."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name else None
    mallopt = getattr(libc, "mallopt", None)
    if mallopt is not None:  # glibc (Linux); elsewhere the allocator's own rules hold
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


class FieldworkConfig(AppConfig):
    name = "sambang.fieldwork"
    verbose_name = _("Field work")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from PIL import Image

        from .models import ActivityType
        from .photos import MAX_PIXELS
        from .services import forget_types

        post_save.connect(forget_types, sender=ActivityType, dispatch_uid="type-saved")
        post_delete.connect(forget_types, sender=ActivityType, dispatch_uid="type-deleted")

        # Every image Pillow opens in this process, not only the photos checked here (the
        # admin's image fields, the exports): above twice this, opening alone refuses it.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        _return_large_blocks_to_the_system()
