"""The shared file cache culls by the clock, not on every write, and reads back what it wrote."""

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


def test_file_cache_reads_back_pages_and_files_the_stock_backend_wrote(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    page = ("text/html; charset=utf-8", b'<td class="num">1234.56</td>' * 5000)
    ours = FileCache(str(tmp_path), {})
    ours.set("page", page, 60)
    assert ours.get("page") == page
    # Files written before (the stock backend's compression level) are still read.
    FileBasedCache(str(tmp_path), {}).set("older", page, 60)
    assert ours.get("older") == page
    ours.set("gone", page, -1)  # expired on arrival: not served
    assert ours.get("gone") is None
