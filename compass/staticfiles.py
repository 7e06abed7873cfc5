"""The production static files storage: WhiteNoise's compressed manifest, tolerant of
third-party CSS that refers to files its package does not ship.

`@utrecht/design-tokens` 5.0.1 ships `background-image-icon.css`, which refers to
`pijltje.svg` and two more icons that are not in the package. Django's manifest storage stops
collectstatic at the first such reference, no manifest is written and every page then answers
500. For files under a third-party prefix (the npm packages in STATICFILES_DIRS) an unresolvable
`url()` is kept as it is, with a warning; our own CSS and JavaScript stay strict, so a broken
reference of ours still fails the build.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)

# Static paths whose files come from npm packages, not from this project.
THIRD_PARTY_PREFIXES = ("nlds/", "fonts/")


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """Hash and compress; keep a third-party file's reference to a missing file unchanged."""

    third_party_prefixes = THIRD_PARTY_PREFIXES

    def url_converter(self, name, hashed_files, template=None):
        converter = super().url_converter(name, hashed_files, template)
        source = name.replace("\\", "/")
        if not source.startswith(self.third_party_prefixes):
            return converter

        def lenient_converter(matchobj):
            try:
                return converter(matchobj)
            except ValueError as exc:
                logger.warning(
                    "Static file %s refers to %r, which cannot be found; the reference is "
                    "kept unchanged (%s).",
                    name,
                    matchobj.group("url"),
                    exc,
                )
                return matchobj.group("matched")

        return lenient_converter
