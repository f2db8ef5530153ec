"""Static files for production: hashed names, compressed copies, cached for a year."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, without rewriting source-map comments: the vendored front-end
    packages (Leaflet's marker cluster) name source maps they do not ship, which would stop
    ``collectstatic``. Stylesheets' url() and @import references are still hashed."""

    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (
                    r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""",
                    """@import url("%(url)s")""",
                ),
            ),
        ),
    )
