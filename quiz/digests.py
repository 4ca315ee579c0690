"""The hash functions quiz keys its caches and signatures with, from CPython's built-in
modules: hashlib would load OpenSSL as well, a few ms of every start for nothing we use."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same functions; typeshed types them in hashlib
    from hashlib import blake2b, sha1
else:
    try:
        from _blake2 import blake2b
        from _sha1 import sha1
    except ImportError:  # an interpreter built without them
        from hashlib import blake2b, sha1

__all__ = ["blake2b", "sha1"]
