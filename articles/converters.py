"""Path converters of the articles' URLs."""


class TagSlugConverter:
    """
    A tag's slug: any text but ``/`` and control characters. Tags made before
    ``TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING`` may have accented slugs, so not
    ``<slug:>``; but a NUL, which PostgreSQL refuses in any text, or another
    control character is no tag's: such an address is a 404, before the view.
    """

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
