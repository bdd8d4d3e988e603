"""schema_check.py — validates intransit's JSON output against the shipped JSON Schema files
(docs/schema/*.schema.json, draft 2020-12; docs/json-schema.md), so that a drift between the code
and the documented contract fails the test that produced the document (issue 15 §3).

validate(doc)        one parsed document (or a JSON array of probe objects); the schema is chosen
                     by doc["schema"]
validate_text(text)  a JSON document, or JSON Lines (one document per line)
Both return what they validated and raise SchemaError with the failing path in words."""
import json
import os

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry, Resource

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "schema")

# The `schema` value each document carries -> its schema file.
FILES = {
    "intransit.probe/1": "probe.schema.json",
    "intransit.check/1": "check.schema.json",
    "intransit.trace/1": "trace.schema.json",
    "intransit.trace-summary/1": "trace-summary.schema.json",
    "intransit.sink-report/1": "sink-report.schema.json",
    "intransit.strip-capture/1": "strip-capture.schema.json",
    "intransit.outbound/1": "outbound.schema.json",
    "intransit.tlsrpt/1": "tlsrpt.schema.json",
    "intransit.tlsrpt-generate/1": "tlsrpt-generate.schema.json",
    "intransit.scan/1": "scan.schema.json",
    "intransit.alert/1": "alert.schema.json",
    "intransit.keys/1": "keys.schema.json",
    "intransit.client/1": "client.schema.json",
}

_validators = {}


class SchemaError(AssertionError):
    """A document does not match its schema (an AssertionError so test runners treat it as a failure)."""


def load_schema(name):
    with open(os.path.join(SCHEMA_DIR, FILES[name]), encoding="utf-8") as f:
        return json.load(f)


def registry():
    """Every shipped schema under its $id, so that one may refer to another (check's `keys`
    member holds intransit.keys/1 objects) without anything fetched from the network."""
    resources = []
    for name in FILES:
        schema = load_schema(name)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def validator(name):
    # No format checker: "format" stays an annotation (dates and addresses are described, not enforced).
    if name not in _validators:
        _validators[name] = Draft202012Validator(load_schema(name), registry=registry())
    return _validators[name]


def _path(error):
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def _message(error):
    # Say why in words: a `not` quotes its rule rather than the whole object; an anyOf (a nullable
    # field) names the closest branch's complaint.
    if error.validator == "not":
        return f"must not match {json.dumps(error.validator_value)}"
    if error.validator == "anyOf" and error.context:
        closest = [c for c in error.context if c.validator != "type"] or error.context
        return f"{error.message[:200]}; {best_match(closest).message[:200]}"
    return error.message[:300]


def _schema_name(doc):
    # A probe of a name with several addresses is a JSON array of probe objects.
    first = doc[0] if isinstance(doc, list) and doc else doc
    name = first.get("schema") if isinstance(first, dict) else None
    if name not in FILES:
        raise SchemaError(f"document has no known `schema` value: {name!r}")
    return name


def validate(doc):
    name = _schema_name(doc)
    errors = sorted(validator(name).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{_path(e)}: {_message(e)}" for e in errors[:5]]
        raise SchemaError(f"{name}: {len(errors)} schema error(s):\n  " + "\n  ".join(lines))
    return doc


def validate_text(text):
    """Validates a JSON document or JSON Lines; returns the list of documents."""
    stripped = text.strip()
    if not stripped:
        raise SchemaError("no JSON output to validate")
    try:
        docs = [json.loads(stripped)]
    except json.JSONDecodeError:
        docs = [json.loads(line) for line in stripped.splitlines() if line.strip()]
    for doc in docs:
        validate(doc)
    return docs
