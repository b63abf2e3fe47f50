"""What a request must be to reach Dash: no bigger than MAX_CONTENT_LENGTH (413),
not a dev-only route outside debug mode (404), no text that no page sends in its
query, form or JSON body (400, `refuse_text`; request_text.py says what), and, for
a callback, the shape the renderer sends (400 with one warning line, `reject`).

The shape check reads the app's `callback_map` (output -> its declared "inputs",
"state", "output" and "no_output"), which Dash does not document: no public API
lists an app's callbacks with their dependencies. tests/unit/test_web.py (test_web060)
pins the shape read here, so a Dash upgrade that changes it fails there first.
"""

import json
import logging

from dash import Dash
from flask import abort, current_app, jsonify, request

from dashboard.config import Settings
from dashboard.web import request_text
from dashboard.web.logs import bounded

log = logging.getLogger(__name__)


def install(app: Dash, settings: Settings) -> None:
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    prefix = app.config.routes_pathname_prefix
    reload_hash = prefix + "_reload-hash"
    update_path = prefix + "_dash-update-component"

    @server.before_request
    def dev_routes_off():
        """Dash's hot-reload route lists the installed packages: only in debug."""
        if request.path == reload_hash and not current_app.debug:
            abort(404)

    @server.before_request
    def check_callback_body():
        if request.path != update_path or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        # Undocumented, pinned by test_web060 (see the module docstring).
        problem = callback_body_problem(body, app.callback_map)
        return reject(problem) if problem else None

    @server.before_request
    def check_text():
        """Once, for every route and callback, before any of our code reads it
        (after the shape check: a forged output is malformed, whatever it holds)."""
        found = request_text.pairs_problem(request.args.items(multi=True))
        if found is None and request.mimetype in FORM_TYPES:
            found = request_text.pairs_problem(request.form.items(multi=True))
        if found is None and request.is_json:
            found = request_text.problem(request.get_json(silent=True))
        return refuse_text(found, request.path == update_path) if found else None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UNREADABLE_TEXT = (
    "The request holds characters the dashboard cannot read. "
    "Reload the page and try again."
)


def refuse_text(problem: str, as_json: bool):
    """The answer to a request holding text no page sends (a JSON one to a
    callback, for the renderer; plain text elsewhere)."""
    log.warning(
        "refused %s %s from %s: it holds %s",
        request.method,
        bounded(request.path, 300),
        request.remote_addr,
        problem,
    )
    if as_json:
        return jsonify(error=UNREADABLE_TEXT), 400
    return UNREADABLE_TEXT, 400, {"Content-Type": "text/plain; charset=utf-8"}


def reject(problem: str):
    """The answer to a callback request that Dash's dispatcher cannot use."""
    log.warning(
        "malformed callback request from %s: %s",
        request.remote_addr,
        bounded(problem, 300),
    )
    return jsonify(error="malformed callback request"), 400


# ---- the shape of a callback request -------------------------------------------------


def _id_text(component_id) -> str | None:
    """A component id as Dash writes it in callback specs (dict ids: sorted JSON)."""
    if isinstance(component_id, str):
        return component_id
    if isinstance(component_id, dict):
        return json.dumps(
            component_id, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    return None


def _pattern(declared_id: str) -> dict | None:
    """The declared id as a dict when it holds a wildcard (ALL, MATCH, ...)."""
    if not declared_id.startswith("{"):
        return None
    parsed = json.loads(declared_id)
    return parsed if any(isinstance(v, list) for v in parsed.values()) else None


def _matches(pattern: dict, component_id) -> bool:
    return (
        isinstance(component_id, dict)
        and component_id.keys() == pattern.keys()
        and all(
            isinstance(component_id[k], str | int | float | bool)
            if isinstance(v, list)
            else component_id[k] == v
            for k, v in pattern.items()
        )
    )


def _entries_problem(sent, declared: dict) -> str | None:
    """Why `sent` is not what the renderer sends for the declared dependency."""
    pattern = _pattern(declared["id"])
    if pattern is None:
        if not isinstance(sent, dict) or _id_text(sent.get("id")) != declared["id"]:
            return f"expected {declared['id']!r}"
        entries = [sent]
    else:
        entries = sent if isinstance(sent, list) else [sent]
        if not all(
            isinstance(e, dict) and _matches(pattern, e.get("id")) for e in entries
        ):
            return f"expected ids matching {declared['id']!r}"
    if any(e.get("property") != declared["property"] for e in entries):
        return f"expected the property {declared['property']!r}"
    return None


def _prop_ids(sent) -> set[str]:
    entries = [e for s in sent for e in (s if isinstance(s, list) else [s])]
    return {f"{_id_text(e['id'])}.{e['property']}" for e in entries}


def _prop_id(changed) -> str | None:
    """A changedPropIds entry in the form of `_prop_ids` (a dict id is JSON, with or
    without spaces, as Dash reads it); None when it is not one."""
    if not isinstance(changed, str):
        return None
    component, _, prop = changed.rpartition(".")
    if component.startswith("{"):
        try:
            component = _id_text(json.loads(component))
        except ValueError:
            return None
    return f"{component}.{prop}"


def callback_body_problem(body, callback_map: dict) -> str | None:
    """Why `body` is not a request Dash's dispatcher can use for a callback in
    `callback_map`: None when it has the shape the renderer sends (the values are
    the callback's to check)."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return f"no callback has the output {bounded(repr(output), 100)}"
    spec = callback_map[output]
    groups = [("inputs", spec["inputs"]), ("state", spec["state"])]
    if not spec.get("no_output"):
        declared = spec["output"] if isinstance(spec["output"], list) else None
        outputs = [
            {"id": o.component_id_str(), "property": o.component_property}
            for o in (declared or [spec["output"]])
        ]
        sent = body.get("outputs")
        if declared is None:  # a single output: sent as one entry, not a list
            sent = [sent]
        groups.append(("outputs", outputs, sent))
    for name, declared, *sent in groups:
        sent = sent[0] if sent else body.get(name, [])
        if not isinstance(sent, list) or len(sent) != len(declared):
            return f"{name}: expected {len(declared)} entries"
        for index, (entry, dep) in enumerate(zip(sent, declared, strict=True)):
            problem = _entries_problem(entry, dep)
            if problem:
                return f"{name}[{index}]: {problem}"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not {_prop_id(c) for c in changed} <= (
        _prop_ids(body.get("inputs", []))
    ):
        return "changedPropIds: not among the inputs"
    return None
