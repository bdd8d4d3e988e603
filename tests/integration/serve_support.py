"""serve_support.py — what the `serve` tests share: start `intransit serve` on a free loopback port
inside the lab namespace (the tests run there, through lab/exec), wait for its "listening" line,
HTTP requests with urllib (nothing outside the namespace is reached), and OpenAPI response
validation against docs/schema/serve-openapi.json."""
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OPENAPI = json.load(open(os.path.join(ROOT, "docs", "schema", "serve-openapi.json")))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Serve:
    """One `intransit serve` process; stop() sends SIGTERM and returns its exit code."""

    def __init__(self, intransit, env, data, *extra):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        lab_args = env["INTRANSIT_LAB_ARGS"].split()
        self.proc = subprocess.Popen([intransit, "serve", "--listen", f"127.0.0.1:{self.port}", "--data", data,
                                      *lab_args, *extra], stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stderr.readline()
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError(f"serve did not start: {line}{self.proc.stderr.read()[:2000]}")

    def stop(self):
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = -9
        self.stderr = self.proc.stderr.read()
        return rc


def request(base, method, path, body=None, headers=None, timeout=120):
    """(status, headers dict (lower-case names), body bytes)."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def response_schema(path_template, method, status, content_type):
    """The schema the OpenAPI document gives this response, with its components, or None."""
    op = OPENAPI["paths"][path_template][method.lower()]
    resp = op["responses"].get(str(status))
    if resp is None:
        return None
    if "$ref" in resp:
        resp = OPENAPI["components"]["responses"][resp["$ref"].split("/")[-1]]
    content = resp.get("content", {}).get(content_type)
    if content is None:
        return None
    return {**content["schema"], "components": OPENAPI["components"]}


def conforms(path_template, method, status, headers, body):
    """'' when the response is one the OpenAPI document describes, else why not."""
    ctype = headers.get("content-type", "").split(";")[0]
    op = OPENAPI["paths"].get(path_template, {}).get(method.lower())
    if op is None:
        return f"{method} {path_template} is not in the document"
    if str(status) not in op["responses"]:
        return f"status {status} is not documented for {method} {path_template}"
    if status == 204:
        return ""
    schema = response_schema(path_template, method, status, ctype)
    if schema is None:
        return f"content type {ctype!r} is not documented for {status}"
    errors = sorted(Draft202012Validator(schema).iter_errors(json.loads(body)), key=str)
    return "; ".join(e.message for e in errors[:3])


def check_openapi_document(doc):
    """Problems in the OpenAPI document itself: required fields, every $ref resolving, every
    schema valid JSON Schema 2020-12 (no OpenAPI validator is packaged in Debian 12)."""
    problems = []
    for key in ("openapi", "info", "paths", "components"):
        if key not in doc:
            problems.append(f"missing {key}")
    if not str(doc.get("openapi", "")).startswith("3.1"):
        problems.append("not OpenAPI 3.1")

    def walk(node, where):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                target = doc
                for part in ref.lstrip("#/").split("/"):
                    target = target.get(part) if isinstance(target, dict) else None
                if target is None:
                    problems.append(f"{where}: $ref {ref} does not resolve")
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(doc, "#")
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        try:
            Draft202012Validator.check_schema(schema)
        except Exception as e:  # noqa: BLE001 - any schema error is a finding
            problems.append(f"schema {name}: {e}")
    for path, ops in doc.get("paths", {}).items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            if not op.get("responses"):
                problems.append(f"{method} {path} has no responses")
    return problems
