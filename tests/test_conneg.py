"""IRIs that resolve: the .htaccess `educluster build` writes for w3id.org, run by a real Apache
httpd (Debian apache2) on 127.0.0.1, answers each Accept type with a 303 to the page or file
that describes the IRI; the file parses and holds the IRI, the page exists."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import rdflib

from conftest import REPO, in_ci, run_educluster

EC = "https://w3id.org/educluster/ontology#"
ID = "https://w3id.org/educluster/id/"
APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld",
             "application/rdf+xml": "xml", "application/n-triples": "nt"}


def _apache() -> str:
    """Debian's httpd; skip outside CI when missing, fail in CI (.ci/run installs apache2)."""
    path = shutil.which("apache2") or (APACHE if os.path.exists(APACHE) else None)
    if path is None or not (MODULES / "mod_rewrite.so").exists():
        if in_ci():
            pytest.fail("apache2 is not installed but CI must have it (.ci/run installs it)")
        pytest.skip("Apache httpd is not installed (apt-get install apache2)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONF = """ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
DefaultRuntimeDir "{root}"
ErrorLog "{root}/error.log"
LogLevel warn
{user}
LoadModule mpm_event_module {mods}/mod_mpm_event.so
LoadModule authz_core_module {mods}/mod_authz_core.so
LoadModule rewrite_module {mods}/mod_rewrite.so
LoadModule alias_module {mods}/mod_alias.so
LoadModule mime_module {mods}/mod_mime.so
LoadModule headers_module {mods}/mod_headers.so
TypesConfig /dev/null
AddType text/html .html
AddType text/turtle .ttl
AddType application/ld+json .jsonld
AddType application/rdf+xml .rdf
AddType application/n-triples .nt
DocumentRoot "{root}/www"
<Directory "{root}/www">
    AllowOverride All
    Options FollowSymLinks
    Require all granted
</Directory>
"""


@pytest.fixture(scope="module")
def server():
    """Build dist/ and the site for a local 'w3id' (http://127.0.0.1:PORT/educluster/), start
    Apache on them, yield the base URL; stop Apache at the end."""
    apache = _apache()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    root = Path(tempfile.mkdtemp(prefix="educluster-apache-"))
    os.chmod(root, 0o755)  # the server's user (nobody when the tests run as root) reads it
    www = root / "www"
    try:
        code, _, err = run_educluster("build", "--out", www / "dist",
                                      "--site-url", f"{base}/site/", "--data-url", f"{base}/dist/")
        assert code == 0, err
        code, _, err = run_educluster("release", "--date", "2026-01-01",
                                      "--releases", www / "dist" / "releases")
        assert code == 0, err
        code, _, err = run_educluster("site", "build", "--out", www / "site")
        assert code == 0, err
        (www / "educluster").mkdir()  # the w3id.org entry: its .htaccess only
        shutil.copy(www / "dist" / ".htaccess", www / "educluster" / ".htaccess")
        for dirpath, dirs, files in os.walk(root):
            for name in dirs:
                os.chmod(Path(dirpath) / name, 0o755)
            for name in files:
                os.chmod(Path(dirpath) / name, 0o644)
        user = "User nobody\nGroup nogroup" if os.geteuid() == 0 else ""
        (root / "httpd.conf").write_text(CONF.format(root=root, port=port, mods=MODULES, user=user))
        proc = subprocess.Popen([apache, "-f", str(root / "httpd.conf"), "-DFOREGROUND"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
                        pytest.fail(f"apache2 did not start: {proc.stderr.read().decode()} {log}")
                    time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        shutil.rmtree(root, ignore_errors=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_answer(url: str, accept: str | None, header: str = "Location") -> tuple[int, str]:
    """The status and Location (or another header) of the first answer (no redirect followed)."""
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.headers.get(header, "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get(header, "")


def final(url: str, accept: str | None) -> tuple[str, bytes, str]:
    """Follow the redirects like ``curl -L -H 'Accept: ...'``: final URL, body, content type."""
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.geturl(), r.read(), r.headers.get("Content-Type", "")


# (IRI path under w3id.org/educluster/, IRI that the RDF must describe, page, anchor)
SAMPLE = [
    ("ontology", EC + "Cluster", "site/terms/index.html", ""),
    ("id/principle/succession", ID + "principle/succession", "site/id/principle/succession.html", ""),
    ("id/person/porter", ID + "person/porter", "site/id/person/porter.html", ""),
    ("id/paper/umirjonova", ID + "paper/umirjonova", "site/id/paper/umirjonova.html", ""),
    ("id/definition/porter-umirjonova-1", ID + "definition/porter-umirjonova-1",
     "site/id/definition/index.html", "porter-umirjonova-1"),
    ("id/scheme/principles-mukhamedov-2020", ID + "scheme/principles-mukhamedov-2020",
     "site/id/scheme/index.html", "principles-mukhamedov-2020"),
]


@pytest.mark.parametrize("path,iri,page,anchor", SAMPLE)
@pytest.mark.parametrize("accept", list(RDF_TYPES))
def test_rdf_types_redirect_to_a_file_describing_the_iri(server, path, iri, page, anchor, accept):
    status, location = first_answer(f"{server}/educluster/{path}", accept)
    assert status == 303, (status, location)
    url, body, ctype = final(f"{server}/educluster/{path}", accept)
    assert url.startswith(f"{server}/dist/")
    assert ctype.split(";")[0] == accept
    g = rdflib.Graph().parse(data=body, format=RDF_TYPES[accept], publicID=url)
    assert (rdflib.URIRef(iri), None, None) in g, f"{url} does not describe {iri}"


@pytest.mark.parametrize("path,iri,page,anchor", SAMPLE)
@pytest.mark.parametrize("accept", [
    "text/html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # a browser
    "*/*",                                                                # curl's default
    None,                                                                 # no Accept at all
    "application/x-unknown",
])
def test_html_and_unknown_types_redirect_to_the_page(server, path, iri, page, anchor, accept):
    status, location = first_answer(f"{server}/educluster/{path}", accept)
    assert status == 303
    assert location == f"{server}/{page}" + (f"#{anchor}" if anchor else "")
    url, body, ctype = final(f"{server}/educluster/{path}", accept)
    assert ctype.startswith("text/html")
    html = body.decode("utf-8")
    if anchor:
        assert f'id="{anchor}"' in html, f"{page} has no anchor {anchor}"


def test_the_term_files_and_named_files_resolve(server):
    """ec:Cluster's own file (linked from its page) and ontology.ttl / context.jsonld by name."""
    url, body, _ = final(f"{server}/dist/ontology/Cluster.ttl", None)
    g = rdflib.Graph().parse(data=body, format="turtle")
    assert (rdflib.URIRef(EC + "Cluster"), rdflib.RDFS.label, None) in g
    status, location = first_answer(f"{server}/educluster/ontology.rdf", None)
    assert (status, location) == (303, f"{server}/dist/educluster.rdf")
    status, location = first_answer(f"{server}/educluster/context.jsonld", None)
    assert (status, location) == (303, f"{server}/dist/context.jsonld")


def test_redirects_allow_browser_clients(server):
    """As w3id.org entries do: a JavaScript client may follow the redirect (CORS)."""
    status, allow = first_answer(f"{server}/educluster/id/principle/succession", "text/turtle",
                                 header="Access-Control-Allow-Origin")
    assert (status, allow) == (303, "*")


def test_unknown_iris_are_not_found(server):
    status, _ = first_answer(f"{server}/educluster/id/principle/no-such-item", "text/turtle")
    assert status == 303  # the rules cannot know; the file is missing:
    with pytest.raises(urllib.error.HTTPError) as exc:
        final(f"{server}/educluster/id/principle/no-such-item", "text/turtle")
    assert exc.value.code == 404
    status, _ = first_answer(f"{server}/educluster/id/../../etc/passwd", "text/turtle")
    assert status in (400, 404)


@pytest.mark.parametrize("accept", list(RDF_TYPES))
def test_a_versioned_iri_resolves_to_its_release(server, accept):
    """owl:versionIRI ontology/2026-01-01 leads to that release's files (and, for HTML, to its
    changelog entry)."""
    iri = "https://w3id.org/educluster/ontology/2026-01-01"
    url, body, _ = final(f"{server}/educluster/ontology/2026-01-01", accept)
    assert url == f"{server}/dist/releases/2026-01-01/educluster." + \
        {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/rdf+xml": "rdf",
         "application/n-triples": "nt"}[accept]
    g = rdflib.Graph().parse(data=body, format=RDF_TYPES[accept], publicID=url)
    assert (rdflib.URIRef(EC[:-1]), rdflib.OWL.versionIRI, rdflib.URIRef(iri)) in g
    status, location = first_answer(f"{server}/educluster/ontology/2026-01-01", "text/html")
    assert (status, location) == (303, f"{server}/site/changelog.html#release-2026-01-01")
