"""The shared file cache culls by the clock, not on every write."""

from __future__ import annotations

from luoshi.web.cache import FileCache


def test_file_cache_culls_at_most_every_interval(tmp_path, monkeypatch):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4, "CULL_FREQUENCY": 2}})
    listings = []
    original = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listings.append(1) or original(self))
    for i in range(10):
        cache.set(f"k{i}", i)
    assert len(listings) == 1  # one size check for ten writes
    assert cache.get("k9") == 9
    cache._next_cull = 0.0  # the interval has passed
    cache.set("k10", 10)
    assert len(listings) == 2
    assert len(original(cache)) < 11  # over MAX_ENTRIES: culled
