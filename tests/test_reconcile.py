"""/reconcile, the W3C Reconciliation API: every answer checked against the specification's
own JSON Schemas (read in place from ../shared/w3c-reconciliation, with the validator first
shown to accept the spec's valid examples and reject its invalid ones), the matching
measured on name variants written as documents write them, and bad input answered 4xx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from api.main import create_app
from graph.model.iris import Minter
from graph.read import reconcile as matching
from graph.read.names import NameForm
from graph.read.reconcile import MAX_QUERIES
from graph.settings import PROJECT_ROOT, Settings
from tests.conftest import FIXTURES, Built
from tests.servers import serve

SPEC = PROJECT_ROOT.parent / "shared" / "w3c-reconciliation"
SCHEMA_BASE = "https://reconciliation-api.github.io/specs/0.2/schemas/"
EXAMPLES: dict[str, str] = {
    "manifest": "manifest.json",
    "reconciliation-query-batch": "reconciliation-query-batch.json",
    "reconciliation-result-batch": "reconciliation-result-batch.json",
    "suggest-entities-response": "suggest-entities-response.json",
    "suggest-types-response": "suggest-types-response.json",
    "suggest-properties-response": "suggest-properties-response.json",
    "data-extension-query": "data-extension-query.json",
    "data-extension-response": "data-extension-response.json",
    "data-extension-property-proposal": "data-extension-property-proposal.json",
    "preview-metadata": "manifest.json#/properties/preview",
    "suggest-metadata": "manifest.json#/properties/suggest/definitions/service_definition",
    "data-extension-metadata": "manifest.json#/properties/extend",
}
"""Each folder of examples and the schema (or part of one) that judges it."""
NAMES = yaml.safe_load((FIXTURES / "reconcile_names.yaml").read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    if not SPEC.is_dir():
        pytest.fail(f"the specification's schemas are missing: {SPEC}")
    resources = []
    for path in sorted((SPEC / "schemas").glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        uri = contents.get("$id", "").rstrip("#") or f"{SCHEMA_BASE}{path.name}"
        resources.append((uri, resource))
        resources.append((f"{SCHEMA_BASE}{path.name}", resource))
    registry: Registry = Registry().with_resources(resources)
    return registry


def validator(schema: str) -> Draft7Validator:
    """A Draft 7 validator for a schema of the spec, by file name (and JSON pointer)."""
    return Draft7Validator({"$ref": SCHEMA_BASE + schema}, registry=_registry())


def assert_valid(schema: str, document: object) -> None:
    errors = [e.message for e in validator(schema).iter_errors(document)]
    assert errors == [], f"{schema}: {errors[:3]}"


def _examples() -> Iterator[tuple[str, Path, bool]]:
    for folder, schema in EXAMPLES.items():
        for verdict in ("valid", "invalid"):
            for path in sorted((SPEC / "examples" / folder / verdict).glob("*.json")):
                yield schema, path, verdict == "valid"


@pytest.mark.parametrize(("schema", "path", "valid"), list(_examples()), ids=lambda x: str(x))
def test_the_validator_accepts_the_valid_examples_and_rejects_the_invalid(
    schema: str, path: Path, valid: bool
) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert validator(schema).is_valid(document) is valid


def test_there_are_invalid_examples_for_the_answers_we_give() -> None:
    judged = {(s, v) for s, _, v in _examples()}
    for schema in ("manifest.json", "reconciliation-result-batch.json"):
        assert (schema, False) in judged and (schema, True) in judged


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Dept. of Economic & Social Affairs", "Department of Economic and Social Affairs"),
        ("Organización Internacional", "ORGANIZACION INTERNACIONAL"),
        ("International Labour Organisation", "International Labor Organization"),
        ("U.N. Population Fund", "United Nations Population Fund"),
        ("Int'l Organization for Migration", "International Organization for Migration"),
        ("Co-operation in Europe", "Cooperation in Europe"),
        ("the World Bank", "World Bank"),
    ],
)
def test_spellings_of_one_name_reduce_to_one_form(one: str, other: str) -> None:
    assert NameForm.of(one).words == NameForm.of(other).words


def test_acronyms_compact_their_punctuation() -> None:
    assert NameForm.of("U.N.H.C.R.").compact == NameForm.of("UNHCR").compact == "unhcr"
    assert NameForm.of("UN-DESA").compact == NameForm.of("UN DESA").compact == "undesa"
    assert NameForm.of("John D. and Catherine T. MacArthur").words == "john d catherine t macarthur"


def test_the_shortlist_changes_no_answer(built: Built) -> None:
    """Candidates come from a batch-scored shortlist; comparing every entity in full gives
    the same answers, for every name of the fixture, with and without a type."""
    known = matching.index(built.store, Minter(built.settings.base_iri))
    names = [v["name"] for v in NAMES["variants"]] + NAMES["absent"] + NAMES["nonsense"]
    for name in names:
        for types in ((), ("Organization",), ("Event",)):
            query = matching.Query(name, types)
            assert matching.reconcile(known, query) == matching.reconcile(
                known, query, exhaustive=True
            ), name


def reconcile(client: TestClient, queries: dict[str, Any]) -> dict[str, Any]:
    """POST a batch as OpenRefine does (form field `queries`) and check the answer."""
    answer = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    assert_valid("reconciliation-result-batch.json", body)
    assert set(body) == set(queries)
    for result in body.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
        assert sum(c["match"] for c in result["result"]) <= 1
    return body


def test_the_manifest_is_what_the_spec_requires(client: TestClient, built: Built) -> None:
    answer = client.get("/reconcile")
    assert answer.status_code == 200
    manifest = answer.json()
    assert_valid("manifest.json", manifest)
    assert manifest["identifierSpace"] == built.settings.base_iri
    assert manifest["defaultTypes"] == [{"id": "Organization", "name": "Organization"}]
    for feature in ("view", "preview", "suggest", "extend"):
        assert feature in manifest
    view = manifest["view"]["url"].replace("{{id}}", "org/IOM")
    assert client.get(view.removeprefix("http://testserver")).status_code == 200


def test_name_variants_find_the_right_organization(client: TestClient) -> None:
    """The measure: right organization first for >= 90% of the variants, `match` true for a
    wrong organization in < 2%, and names of other bodies never a match."""
    variants = NAMES["variants"]
    right = wrong_match = 0
    missed = []
    for start in range(0, len(variants), MAX_QUERIES):
        chunk = variants[start : start + MAX_QUERIES]
        queries = {
            f"q{i}": {"query": v["name"], "type": "Organization"} for i, v in enumerate(chunk)
        }
        body = reconcile(client, queries)
        for i, v in enumerate(chunk):
            found = body[f"q{i}"]["result"]
            expected = f"org/{v['expect']}"
            if found and found[0]["id"] == expected:
                right += 1
            else:
                missed.append(v["name"])
            wrong_match += any(c["match"] and c["id"] != expected for c in found)
    assert right / len(variants) >= 0.90, f"{right}/{len(variants)}; missed {missed}"
    assert wrong_match / len(variants) < 0.02
    body = reconcile(client, {f"q{i}": {"query": n} for i, n in enumerate(NAMES["absent"])})
    matched = {NAMES["absent"][int(k[1:])]: r["result"][0]["id"] for k, r in body.items()
               if any(c["match"] for c in r["result"])}  # fmt: skip
    assert matched == {}


def test_a_sure_variant_is_a_match(client: TestClient) -> None:
    body = reconcile(
        client,
        {
            "a": {"query": "UN DESA"},
            "b": {"query": "Organización Internacional para las Migraciones"},
            "c": {"query": "Dept. of Economic & Social Affairs", "type": "UNEntity"},
            "d": {"query": "General Assembly of the United Nations"},
            "e": {"query": "Untied Nations Population Fund"},
        },
    )
    expected = {"a": "org/UNDESA", "b": "org/IOM", "c": "org/UNDESA", "d": "org/UNGA",
                "e": "org/UNFPA"}  # fmt: skip
    for key, org in expected.items():
        first = body[key]["result"][0]
        assert (first["id"], first["match"]) == (org, True)
    assert {"id": "UNEntity", "name": "UN entity"} in body["a"]["result"][0]["type"]


def test_nonsense_gets_no_candidate(client: TestClient) -> None:
    body = reconcile(client, {f"q{i}": {"query": n} for i, n in enumerate(NAMES["nonsense"])})
    assert {
        NAMES["nonsense"][int(k[1:])]: r["result"] for k, r in body.items() if r["result"]
    } == {}


def test_types_narrow_the_search(client: TestClient) -> None:
    body = reconcile(
        client,
        {
            "org": {"query": "IOM", "type": "Government"},
            "ga": {"query": "General Assembly", "type": ["Office"]},
            "res": {"query": "A/RES/60/227", "type": "Instrument"},
            "iri": {"query": "World Bank", "type": "https://w3id.org/migration-kg/ontology#Organization"},
        },
    )  # fmt: skip
    assert all(c["id"] != "org/IOM" for c in body["org"]["result"])
    assert body["ga"]["result"][0]["id"] == "org/PGA"
    assert all({"id": "Office", "name": "Office"} in c["type"] for c in body["ga"]["result"])
    assert body["res"]["result"][0]["id"] == "instrument/A-RES-60-227"
    assert body["res"]["result"][0]["match"] is True
    assert body["iri"]["result"][0]["id"] == "org/WB"


def test_properties_narrow_and_confirm(client: TestClient) -> None:
    body = reconcile(
        client,
        {
            "pt": {"query": "Government", "properties": [{"pid": "country", "v": "Portugal"}]},
            "code": {"query": "Gov", "properties": [{"pid": "country", "v": "PRT"}]},
            "acr": {"properties": [{"pid": "acronym", "v": "OIM"}]},
            "clash": {"query": "IOM", "properties": [{"pid": "acronym", "v": "UNHCR"}]},
        },
    )
    assert body["pt"]["result"][0]["id"] == "org/GOV-PT"
    assert body["code"]["result"][0]["id"] == "org/GOV-PT"
    assert (body["acr"]["result"][0]["id"], body["acr"]["result"][0]["match"]) == ("org/IOM", True)
    assert body["clash"]["result"][0]["match"] is False


def test_suggest_entities_types_and_properties(client: TestClient) -> None:
    entities = client.get("/reconcile/suggest/entity", params={"prefix": "UNF"}).json()
    assert_valid("suggest-entities-response.json", entities)
    assert "org/UNFPA" in [e["id"] for e in entities["result"]]
    words = client.get(
        "/reconcile/suggest/entity", params={"prefix": "internat", "type": "UNEntity"}
    )
    assert_valid("suggest-entities-response.json", words.json())
    assert "org/ILO" in [e["id"] for e in words.json()["result"]]
    assert "org/IOM" not in [e["id"] for e in words.json()["result"]]
    types = client.get("/reconcile/suggest/type", params={"prefix": "gov"}).json()
    assert_valid("suggest-types-response.json", types)
    assert [t["id"] for t in types["result"]] == ["Government"]
    props = client.get("/reconcile/suggest/property", params={"prefix": "ac"}).json()
    assert_valid("suggest-properties-response.json", props)
    assert [p["id"] for p in props["result"]] == ["acronym"]
    assert (
        client.get("/reconcile/suggest/entity", params={"prefix": "x", "type": "Cat"}).status_code
        == 400
    )


def test_the_preview_card_escapes_text_and_may_be_framed(client: TestClient) -> None:
    answer = client.get("/reconcile/preview", params={"id": "org/IOM"})
    assert answer.status_code == 200
    assert "International Organization for Migration" in answer.text
    assert "OIM" in answer.text
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "script-src" not in policy
    assert client.get("/reconcile/preview", params={"id": "org/<script>"}).status_code == 404


def test_data_extension_fills_columns_from_the_graph(client: TestClient) -> None:
    proposal = client.get("/reconcile/properties", params={"type": "Organization"}).json()
    assert_valid("data-extension-property-proposal.json", proposal)
    wanted = ["acronym", "type", "events", "partners", "mandates"]
    assert set(wanted) <= {p["id"] for p in proposal["properties"]}
    request = {
        "ids": ["org/IOM", "org/UNITAR", "org/nobody"],
        "properties": [{"id": p} for p in wanted],
    }
    assert_valid("data-extension-query.json", request)
    answer = client.post("/reconcile", data={"extend": json.dumps(request)})
    assert answer.status_code == 200
    body = answer.json()
    assert_valid("data-extension-response.json", body)
    iom = body["rows"]["org/IOM"]
    assert iom["acronym"] == [{"str": "IOM"}]
    assert iom["type"] == [
        {"id": "IntergovernmentalOrganization", "name": "Intergovernmental organization"}
    ]
    detail = client.get("/api/organizations/IOM").json()
    assert [e["id"] for e in iom["events"]] != []
    assert {e["id"] for e in iom["events"]} == {f"event/{e['id']}" for e in detail["events"]}
    assert [p["id"] for p in iom["partners"]] == [
        f"org/{p['org']['id']}" for p in detail["partners"]
    ]
    unitar = client.get("/api/organizations/UNITAR").json()
    assert len(body["rows"]["org/UNITAR"]["mandates"]) == len(
        {m["paragraph"] for m in unitar["mandates"]}
    )
    assert body["rows"]["org/nobody"] == {p: [] for p in wanted}


UNKNOWN_PROPERTY = {"pid": "P31", "v": "x"}


@pytest.mark.parametrize(
    ("form", "status", "says"),
    [
        ({"queries": "{not json"}, 400, "not JSON"),
        ({"queries": "[1, 2]"}, 400, "JSON object"),
        ({"queries": json.dumps({f"q{i}": {"query": "IOM"} for i in range(MAX_QUERIES + 1)})},
         400, f"at most {MAX_QUERIES}"),
        ({"queries": json.dumps({"q0": {"query": "x" * 5000}})}, 400, "at most 1,000"),
        ({"queries": json.dumps({"q0": {"query": "IOM", "type": "Cat"}})}, 400, "unknown type"),
        ({"queries": json.dumps({"q0": {"query": "IOM", "properties": [UNKNOWN_PROPERTY]}})},
         400, "unknown property"),
        ({"queries": json.dumps({"q0": {"query": "IOM", "limit": 0}})}, 400, "limit"),
        ({"queries": json.dumps({"q0": {"query": "IOM", "limit": 1e309}})}, 400, "limit"),
        ({"queries": json.dumps({"q0": {"query": "   "}})}, 400, "give a name"),
        ({"queries": json.dumps({"q0": {"query": "IOM", "colour": "red"}})}, 400, "unknown field"),
        ({"queries": "[" * 100_000 + "]" * 10}, 413, "larger than"),
        ({"queries": json.dumps({"q0": {"query": "x" * 100_000}})}, 413, "larger than"),
        ({"extend": json.dumps({"ids": ["org/IOM"], "properties": [{"id": "P31"}]})}, 400,
         "unknown property"),
        ({"extend": "nope"}, 400, "not JSON"),
    ],
)  # fmt: skip
def test_bad_input_is_a_4xx_that_says_what_is_wrong(
    client: TestClient, form: dict[str, str], status: int, says: str
) -> None:
    answer = client.post("/reconcile", data=form)
    assert answer.status_code == status, answer.text
    assert set(answer.json()) == {"error", "detail", "request_id"}
    assert says in answer.json()["detail"]


def test_other_media_types_are_refused(client: TestClient) -> None:
    answer = client.post("/reconcile", content=b"{}", headers={"content-type": "application/xml"})
    assert answer.status_code == 415


def test_rate_limits_apply(built: Built) -> None:
    settings = Settings(store=built.settings.store, rate_limit="3/minute")
    with TestClient(create_app(settings)) as limited:
        answers = [
            limited.post("/reconcile", data={"queries": json.dumps({"q": {"query": "IOM"}})})
            for _ in range(4)
        ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]


def test_an_openrefine_style_batch_over_real_http(built: Built) -> None:
    for url in serve(built.settings.store):
        manifest = httpx.get(f"{url}/reconcile").json()
        assert manifest["preview"]["url"].startswith(url)
        names = ["OIM", "UN Population Fund", "World Heath Organization"]
        batch = {
            f"q{i}": {"query": name, "type": "Organization", "type_strict": "should"}
            for i, name in enumerate(names)
        }
        answer = httpx.post(f"{url}/reconcile", data={"queries": json.dumps(batch)})
        assert answer.headers["access-control-allow-origin"] == "*"
        assert_valid("reconciliation-result-batch.json", answer.json())
        assert [answer.json()[k]["result"][0]["id"] for k in sorted(batch)] == [
            "org/IOM", "org/UNFPA", "org/WHO"
        ]  # fmt: skip


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
QUERY_LIKE = st.dictionaries(
    st.text(max_size=5),
    st.fixed_dictionaries(
        {},
        optional={
            "query": JSON_VALUES | st.text(max_size=60),
            "type": JSON_VALUES | st.sampled_from(["Organization", "Event", "UNEntity", "x"]),
            "limit": JSON_VALUES,
            "type_strict": JSON_VALUES | st.sampled_from(["any", "all", "should"]),
            "properties": JSON_VALUES
            | st.lists(st.fixed_dictionaries({"pid": st.sampled_from(["acronym", "country", "x"]),
                                              "v": JSON_VALUES}), max_size=3),
        },
    ),
    max_size=4,
)  # fmt: skip


@given(queries=st.one_of(QUERY_LIKE.map(json.dumps), JSON_VALUES.map(json.dumps), st.text()))
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_batch_gets_a_5xx(client: TestClient, queries: str) -> None:
    """Whatever a client sends as `queries`: a valid result batch or a 4xx JSON message."""
    answer = client.post("/reconcile", data={"queries": queries})
    assert answer.status_code < 500, answer.text
    if answer.status_code == 200:
        assert_valid("reconciliation-result-batch.json", answer.json())
    else:
        assert answer.status_code in (400, 413) and answer.json()["error"]


@given(prefix=st.text(max_size=50), extend=JSON_VALUES.map(json.dumps))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_suggest_or_extension_gets_a_5xx(client: TestClient, prefix: str, extend: str) -> None:
    for path in ("entity", "type", "property"):
        answer = client.get(f"/reconcile/suggest/{path}", params={"prefix": prefix})
        assert answer.status_code in (200, 404, 422), answer.text
    answer = client.post("/reconcile", data={"extend": extend})
    assert answer.status_code in (200, 400), answer.text
