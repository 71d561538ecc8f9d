"""The Content-Security-Policy every page is served with, and its nonce for templates.

Scripts come from this site only (vendored htmx and ECharts, our own files under static/), so an
injected `<script>` or `onclick=` does not run; an inline script, if one is ever needed, carries
the request's nonce (`<script nonce="{{ csp_nonce }}">`). Stylesheets come from this site only
(`style-src 'self'`): no `<style>` element, ours or injected, applies, so injected markup cannot
restyle a page or read it through attribute selectors. Style *attributes* stay allowed
(`style-src-attr 'unsafe-inline'`): the plan tree's indentation, the progress bars' and a chart's
sizes are values computed per row, ECharts sizes and positions its own elements, Swagger UI and
Tom Select theirs, and an attribute styles one element and cannot run code; browsers without
`style-src-attr` fall back to `style-src` and draw those elements unstyled. htmx's indicator style
is in site.css (`includeIndicatorStyles` off). Django 6 sends the header itself
(`django.middleware.csp`); on Django 5.2 the `django-csp` package does, from the same directives.
"""

from __future__ import annotations

SELF = "'self'"
NONE = "'none'"
NONCE = "nonce"  # replaced by each framework's own nonce placeholder in settings

DIRECTIVES: dict[str, list[str]] = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}


def directives(nonce_placeholder: str) -> dict[str, list[str]]:
    """DIRECTIVES with the framework's nonce placeholder in place of NONCE."""
    return {k: [nonce_placeholder if v == NONCE else v for v in vs] for k, vs in DIRECTIVES.items()}


def nonce(request) -> dict[str, object]:
    """Template context: `csp_nonce`, the request's nonce under either framework (empty without one)."""
    # Django's LazyNonce is falsy until first read, so test for None: reading it in a template
    # makes the nonce, and only then does the middleware put it in the header.
    value = getattr(request, "_csp_nonce", None)
    if value is None:
        value = getattr(request, "csp_nonce", None)
    return {"csp_nonce": "" if value is None else value}
