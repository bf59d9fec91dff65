"""robots.txt: crawlers stay out of the newsroom's tools and find both sitemaps."""

import pytest

pytestmark = pytest.mark.django_db


def rules(client) -> list[tuple[str, str]]:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    return [
        tuple(part.strip() for part in line.split(":", 1))
        for line in lines
        if line.strip() and not line.startswith("#")
    ]


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_previews(client):
    found = rules(client)
    assert found[0] == ("User-agent", "*")
    disallowed = {value for field, value in found if field == "Disallow"}
    assert {"/admin/", "/anteprima/", "/cerca/"} <= disallowed
    assert "/" not in disallowed


def test_robots_txt_points_to_the_sitemap_index_and_the_news_sitemap(client):
    sitemaps = [value for field, value in rules(client) if field == "Sitemap"]
    assert sitemaps == ["http://testserver/sitemap.xml", "http://testserver/sitemap-news.xml"]
    for url in sitemaps:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_robots_txt_runs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/robots.txt")
