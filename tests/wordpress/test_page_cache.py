"""An import writes in bulk, without save signals; readers still see it at once."""

from .conftest import post


def test_an_import_replaces_cached_pages_at_once(client, make_export, run_import):
    # The first import makes the author and the section, with ordinary saves.
    run_import(make_export(post(100, "Una prima notizia")))
    assert "Una seconda notizia" not in client.get("/").content.decode()

    run_import(make_export(post(100, "Una prima notizia"), post(101, "Una seconda notizia")))

    assert "Una seconda notizia" in client.get("/").content.decode()
