"""wpautop() makes paragraphs of bare text the way WordPress does."""

from wordpress.autop import plain_text, post_html, strip_shortcodes, wpautop


def test_blank_lines_separate_paragraphs():
    assert wpautop("Uno.\n\nDue.") == "<p>Uno.</p>\n<p>Due.</p>\n"


def test_a_single_line_break_becomes_a_br():
    assert wpautop("Riga uno\nriga due") == "<p>Riga uno<br />\nriga due</p>\n"


def test_block_elements_are_not_wrapped_in_paragraphs():
    html = wpautop("Testo.\n<ul>\n<li>uno</li>\n<li>due</li>\n</ul>\nAltro.")
    assert "<p><ul>" not in html
    assert "<ul>" in html and "<li>uno</li>" in html
    assert html.startswith("<p>Testo.</p>")
    assert "<p>Altro.</p>" in html


def test_a_blockquote_gets_its_paragraph_inside():
    assert wpautop("<blockquote>Citazione</blockquote>") == (
        "<blockquote><p>Citazione</p></blockquote>\n"
    )


def test_preformatted_text_keeps_its_line_breaks():
    html = wpautop("Codice:\n\n<pre>a\n\nb</pre>")
    assert "<pre>a\n\nb</pre>" in html


def test_line_breaks_inside_a_tag_are_not_paragraphs():
    html = wpautop('<a\nhref="https://example.org">link</a> testo')
    assert html == '<p><a\nhref="https://example.org">link</a> testo</p>\n'


def test_empty_text_stays_empty():
    assert wpautop("  \n ") == ""


def test_windows_line_endings_count_as_line_breaks():
    assert wpautop("Uno.\r\n\r\nDue.") == "<p>Uno.</p>\n<p>Due.</p>\n"


def test_block_editor_content_is_left_as_it_is():
    content = "<!-- wp:paragraph -->\n<p>Già fatto.</p>\n<!-- /wp:paragraph -->"
    assert post_html(content) == content


def test_a_caption_shortcode_becomes_a_figure_and_a_gallery_goes():
    text = '[caption id="x" width="300"]<img src="a.jpg"> Il ponte[/caption] [gallery ids="1,2"]'
    assert strip_shortcodes(text) == (
        '<figure><img src="a.jpg"><figcaption>Il ponte</figcaption></figure> '
    )


def test_a_captioned_photo_loses_its_link_to_the_full_size_file():
    text = '[caption]<a href="https://x.example/a.jpg"><img src="a.jpg" /></a> Il ponte[/caption]'
    assert strip_shortcodes(text) == (
        '<figure><img src="a.jpg" /><figcaption>Il ponte</figcaption></figure>'
    )


def test_a_caption_without_a_photo_keeps_its_text():
    assert strip_shortcodes("[caption]Solo testo[/caption]") == "Solo testo"


def test_plain_text_keeps_paragraphs_and_drops_tags_and_entities():
    assert plain_text("<p>Uno &amp; <b>due</b></p><p>tre<br>quattro</p>") == (
        "Uno & due\ntre\nquattro"
    )
