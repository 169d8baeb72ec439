"""The ``.htaccess`` of the w3id.org entry ``w3id.org/educluster/``: content negotiation that
sends every IRI to its site page (HTML) or to its file in the RDF format asked for.

Rules (decision 0015), all ``303 See Other`` as the w3id.org entries and WIDOCO's generated
rules do for non-information resources:

- ``text/html`` (or ``application/xhtml+xml``) listed before any RDF type: the site page, with
  its anchor (:mod:`educluster.site.urls` is the one place that knows page paths);
- ``text/turtle``, ``application/ld+json``, ``application/rdf+xml``, ``application/n-triples``:
  the IRI's own file (:mod:`educluster.termfiles`); the ontology IRI (and so every
  ``ontology#Term``, whose fragment never reaches the server) the whole ontology;
- anything else (``*/*``, no ``Accept``, unknown types): the HTML page;
- ``ontology/YYYY-MM-DD`` (an ``owl:versionIRI``): that release's files, and its changelog entry
  for HTML; ``ontology.ttl`` (``.jsonld``, ``.rdf``, ``.nt``) and ``context.jsonld``: the file.

mod_rewrite matches ``Accept`` as text, not by ``q`` values (as WIDOCO's rules do): a client
that wants RDF should list only the RDF type.
"""

from __future__ import annotations

from educluster.termfiles import FORMATS

HEADER = "# generated from ontology/*.ttl by educluster build — do not edit\n"

#: Where the site and the data are published until the project fixes its hosting; change
#: them with ``educluster build --site-url/--data-url`` (decision 0015).
DEFAULT_SITE_URL = "https://educluster.example.org/"

_SLUG = "[A-Za-z0-9][A-Za-z0-9_-]*"
_KIND = "[a-z0-9][a-z0-9-]*"
_RDF_TYPES = "|".join(mt.replace("+", r"\+") for mt, _ in FORMATS.values())


def _slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _block(comment: str, pattern: str, html: str, data: str) -> list[str]:
    """Rules for one IRI pattern: HTML when preferred, each RDF type, HTML by default.

    ``data`` contains ``{ext}`` for the file suffix.
    """
    ne = ",NE" if "#" in html else ""
    lines = [f"# {comment}",
             rf"RewriteCond %{{HTTP_ACCEPT}} !({_RDF_TYPES}).*(text/html|application/xhtml\+xml)",
             r"RewriteCond %{HTTP_ACCEPT} (text/html|application/xhtml\+xml)",
             f"RewriteRule {pattern} {html} [R=303{ne},L]"]
    for ext, (media_type, _) in FORMATS.items():
        lines += [f"RewriteCond %{{HTTP_ACCEPT}} {media_type.replace('+', chr(92) + '+')}",
                  f"RewriteRule {pattern} {data.format(ext=ext)} [R=303,L]"]
    lines += [f"RewriteRule {pattern} {html} [R=303{ne},L]", ""]
    return lines


def htaccess(site_url: str = DEFAULT_SITE_URL, data_url: str | None = None,
             releases_url: str | None = None) -> str:
    """The ``.htaccess`` text for ``w3id.org/educluster/`` (site and data at the given URLs)."""
    from educluster.site import urls

    site = _slash(site_url)
    data = _slash(data_url) if data_url else site + "downloads/"
    releases = _slash(releases_url) if releases_url else data + "releases/"
    anchor_kinds = "|".join(sorted(urls.ANCHOR_KINDS))
    ontology_page = site + urls.target(urls.ONTOLOGY_IRI).url()
    lines = [
        HEADER.rstrip("\n"),
        "# The w3id.org entry https://w3id.org/educluster/ (perma-id/w3id.org: educluster/.htaccess).",
        f"# Site: {site}  Data: {data}  Releases: {releases}",
        "# Each IRI answers 303 See Other: HTML (and unknown types) to its page on the site,",
        "# text/turtle, application/ld+json, application/rdf+xml, application/n-triples to its file.",
        "# No Apache negotiation of its own; browser clients (JavaScript) may follow the redirects.",
        "Options +FollowSymLinks -MultiViews",
        "Header always set Access-Control-Allow-Origin *",  # "always": on the 303s too
        "RewriteEngine on",
        "",
        r"# Files asked for by name",
        rf"RewriteRule ^ontology\.(ttl|jsonld|rdf|nt)$ {data}educluster.$1 [R=303,L]",
        rf"RewriteRule ^context\.jsonld$ {data}context.jsonld [R=303,L]",
        "",
    ]
    lines += _block("A release (owl:versionIRI ontology/YYYY-MM-DD): that release's files",
                    r"^ontology/([0-9]{4}-[0-9]{2}-[0-9]{2})$",
                    site + "changelog.html#release-$1", releases + "$1/educluster.{ext}")
    lines += _block("The ontology, and every term ontology#Name (the fragment stays with the client)",
                    "^ontology/?$", ontology_page, data + "educluster.{ext}")
    lines += _block("Knowledge-base items read in their list: an anchor on the kind's page",
                    f"^id/({anchor_kinds})/({_SLUG})$",
                    site + "id/$1/index.html#$2", data + "id/$1/$2.{ext}")
    lines += _block("Every other knowledge-base item: a page of its own",
                    f"^id/({_KIND})/({_SLUG})$", site + "id/$1/$2.html", data + "id/$1/$2.{ext}")
    return "\n".join(lines)
