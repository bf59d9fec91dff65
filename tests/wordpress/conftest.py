"""Exports to import: WordPress's theme unit test data, and small ones written per test."""

from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

THEME_UNIT_TEST = Path(__file__).parent / "fixtures" / "themeunittestdata.wordpress.xml"

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/{version}/">
<channel>
<title>La Gazzetta</title>
<link>https://gazzetta.example</link>
<language>it-IT</language>
<wp:wxr_version>{version}</wp:wxr_version>
<wp:base_site_url>https://gazzetta.example</wp:base_site_url>
<wp:base_blog_url>https://gazzetta.example</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[giulia]]></wp:author_login>
<wp:author_email><![CDATA[giulia@gazzetta.example]]></wp:author_email>
<wp:author_display_name><![CDATA[Giulia Neri]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>cronaca</wp:category_nicename>
<wp:cat_name><![CDATA[Cronaca]]></wp:cat_name></wp:category>
"""


def post(post_id, title="Una notizia", *, status="publish", name=None, content="Testo.",
         date_gmt="2024-03-01 08:00:00", date="2024-03-01 09:00:00",
         categories=(("cronaca", "Cronaca"),), tags=(),
         comments="", meta="", password="", comment_status="open", link=None):  # fmt: skip
    """One <item> of post_type post, as WordPress writes it."""
    name = f"notizia-{post_id}" if name is None else name
    link = link or f"https://gazzetta.example/2024/03/01/{name}/"
    terms = "".join(
        f'<category domain="category" nicename="{slug}"><![CDATA[{label}]]></category>'
        for slug, label in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{slug}"><![CDATA[{label}]]></category>'
        for slug, label in tags
    )
    return f"""<item>
<title><![CDATA[{title}]]></title>
<link>{link}</link>
<dc:creator><![CDATA[giulia]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date_gmt}]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[{comment_status}]]></wp:comment_status>
<wp:post_name><![CDATA[{name}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:post_password><![CDATA[{password}]]></wp:post_password>
{terms}{meta}{comments}
</item>
"""


def comment(comment_id, *, parent=0, approved="1", type="comment", email="lettore@example.org",
            body="Bell'articolo.", author="Un lettore", ip="198.51.100.7"):  # fmt: skip
    return f"""<wp:comment>
<wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
<wp:comment_author_url>https://lettore.example/</wp:comment_author_url>
<wp:comment_author_IP><![CDATA[{ip}]]></wp:comment_author_IP>
<wp:comment_date><![CDATA[2024-03-02 10:00:00]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[2024-03-02 09:00:{comment_id % 60:02d}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[{body}]]></wp:comment_content>
<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
<wp:comment_type><![CDATA[{type}]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent>
</wp:comment>
"""


@pytest.fixture
def make_export(tmp_path):
    """Write an export of these <item>s and return its path."""

    def make(*items, version="1.2", name="export.xml"):
        path = tmp_path / name
        text = HEADER.format(version=version) + "".join(items) + "</channel>\n</rss>\n"
        path.write_text(text, encoding="utf-8")
        return path

    return make


@pytest.fixture
def run_import(db):
    """Run the command as an editor would; its output."""

    def run(path, *args):
        out = StringIO()
        call_command("import_wordpress", str(path), *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def theme_unit_test(run_import):
    """The theme unit test data, imported once; the command's report."""
    return run_import(THEME_UNIT_TEST)


def declared_items():
    """The theme unit test's items as the file declares them, by a plain parse."""
    root = ElementTree.parse(THEME_UNIT_TEST).getroot()
    namespaces = {"wp": "https://wordpress.org/export/1.2/"}
    items = []
    for item in root.iter("item"):
        items.append(
            {
                "id": item.findtext("wp:post_id", namespaces=namespaces),
                "type": item.findtext("wp:post_type", namespaces=namespaces),
                "status": item.findtext("wp:status", namespaces=namespaces),
                "password": item.findtext("wp:post_password", default="", namespaces=namespaces),
                "name": item.findtext("wp:post_name", default="", namespaces=namespaces),
                "comments": [
                    {
                        "id": c.findtext("wp:comment_id", namespaces=namespaces),
                        "parent": c.findtext("wp:comment_parent", namespaces=namespaces),
                        "approved": c.findtext("wp:comment_approved", namespaces=namespaces),
                        "type": c.findtext("wp:comment_type", default="", namespaces=namespaces),
                        "email": c.findtext("wp:comment_author_email", namespaces=namespaces),
                    }
                    for c in item.findall("wp:comment", namespaces)
                ],
            }
        )
    return items
