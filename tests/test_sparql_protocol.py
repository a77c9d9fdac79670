"""The W3C SPARQL 1.1 Protocol tests against /sparql on a real server.

The tests are read from ../shared/w3c-sparql-protocol/ (or MKG_W3C_PROTOCOL_DIR), never
copied. Each test's data files go into named graphs under the labels the manifest gives;
its requests are replayed as written (the path prefix /sparql/ becomes /sparql). Query
tests and bad-update tests must pass; the positive update tests must fail with a 4xx,
since the endpoint is read-only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import httpx2 as httpx
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from graph.settings import PROJECT_ROOT
from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version
from tests.conftest import require
from tests.servers import serve

W3C = Path(
    os.environ.get("MKG_W3C_PROTOCOL_DIR", PROJECT_ROOT.parent / "shared" / "w3c-sparql-protocol")
)
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]
    form: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    data: dict[str, Path] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)


def _load_manifest() -> list[ProtocolTest]:
    if not (W3C / "manifest.ttl").is_file():
        return []
    manifest = Graph().parse(W3C / "manifest.ttl", format="turtle", publicID=W3C.as_uri() + "/")
    head = next(manifest.objects(None, MF.entries))
    tests = []
    for entry in Collection(manifest, head):
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(manifest.value(entry, MF.name)))
        for data in manifest.objects(entry, UT.graphData):
            source = str(manifest.value(data, UT.graph))
            test.data[str(manifest.value(data, RDFS.label))] = W3C / source.rsplit("/", 1)[-1]
        action = manifest.value(entry, MF.action)
        for request in Collection(manifest, manifest.value(action, HT.requests)):
            headers = {}
            for header in Collection(manifest, manifest.value(request, HT.headers) or URIRef("")):
                headers[str(manifest.value(header, HT.fieldName))] = str(
                    manifest.value(header, HT.fieldValue)
                )
            body = manifest.value(request, HT.body)
            content = None
            if body is not None:
                encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
                content = str(manifest.value(body, CNT.chars)).encode(encoding)
            response = manifest.value(request, HT.resp)
            statuses = {
                int(str(s).removeprefix(HTS)[0])
                for s in manifest.objects(response, MF.expectedStatus)
            }
            form = manifest.value(response, MF.expectedFormat)
            boolean = manifest.value(response, MF.expectedBoolean)
            test.steps.append(
                Step(
                    method=str(manifest.value(request, HT.methodName)),
                    path=str(manifest.value(request, HT.absolutePath)).replace(
                        "/sparql/", "/sparql", 1
                    ),
                    headers=headers,
                    body=content,
                    statuses=statuses,
                    form=str(form) if form is not None else None,
                    boolean=bool(boolean.toPython()) if boolean is not None else None,
                )
            )
        tests.append(test)
    return tests


TESTS = _load_manifest()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require(bool(TESTS), f"the W3C protocol tests in {W3C}")
    quads = []
    data = {label: path for test in TESTS for label, path in test.data.items()}
    for label, path in sorted(data.items()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                quads.append(line.rstrip().removesuffix(".").rstrip() + f" <{label}> .")
    layout = StoreLayout(tmp_path_factory.mktemp("w3c") / "store")
    with layout.writing() as work:
        write_version(work, "\n".join(quads).encode())
        layout.publish(work, GraphInfo("w3c-protocol", len(quads), "", str(W3C)))
    yield from serve(layout.link)


def _is_update(step: Step) -> bool:
    kind = step.headers.get("content-type", "")
    return (
        "sparql-update" in kind
        or (step.body or b"").startswith(b"update=")
        or "using-graph-uri" in step.path
        or "using-named-graph-uri" in step.path
    )


def _boolean(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "")
    if "xml" in kind:
        root = ElementTree.fromstring(response.content)
        node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
        assert node is not None
        return node.text == "true"
    return bool(json.loads(response.content)["boolean"])


def _check_format(response: httpx.Response, form: str) -> None:
    kind = response.headers.get("content-type", "").split(";")[0]
    if form == "boolean":
        _boolean(response)
    elif form == "tabular":
        assert kind in {
            "application/sparql-results+json", "application/sparql-results+xml",
            "text/csv", "text/tab-separated-values",
        }, kind  # fmt: skip
    elif form == "RDF":
        formats = {"text/turtle": "turtle", "application/n-triples": "nt",
                   "application/ld+json": "json-ld", "application/rdf+xml": "xml"}  # fmt: skip
        assert kind in formats, kind
        Graph().parse(data=response.content, format=formats[kind])


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(endpoint: str, test: ProtocolTest) -> None:
    positive_update = test.name.startswith("update_")
    with httpx.Client(base_url=endpoint, timeout=30) as client:
        for step in test.steps:
            response = client.request(step.method, step.path, headers=step.headers,
                                      content=step.body)  # fmt: skip
            status_class = response.status_code // 100
            if positive_update:
                if _is_update(step):
                    assert status_class == 4, f"{test.title}: a read-only endpoint refuses updates"
                    assert response.json()["error"] == "Refused"
                # the test's later queries check what the refused update would have written
                continue
            assert status_class in step.statuses, (test.title, response.status_code, response.text)
            if status_class == 2 and step.form:
                _check_format(response, step.form)
            if status_class == 2 and step.boolean is not None:
                assert _boolean(response) is step.boolean, test.title


def test_the_suite_is_complete() -> None:
    require(bool(TESTS), f"the W3C protocol tests in {W3C}")
    assert len(TESTS) == 34
    positive_updates = [t for t in TESTS if t.name.startswith("update_")]
    assert len(positive_updates) == 7
    assert all(any(_is_update(step) for step in t.steps) for t in positive_updates)
