"""Dash's callback requests, built as the renderer builds them, for the tests and the
benchmarks that POST them without a browser."""

import json

UPDATE = "/_dash-update-component"


def _outputs(spec: str) -> list[dict] | dict:
    """The renderer's `outputs`: a list for a multi-output callback, else one."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        out.append(
            {
                "id": json.loads(ident) if ident.startswith("{") else ident,
                "property": prop,
            }
        )
    return out if spec.startswith("..") else out[0]


def body(deps: list, changed: str, values: dict, output: str = "") -> dict:
    """The body of the callback that `changed` ('id.prop') triggers and whose
    outputs include `output` (deps: /_dash-dependencies); `values` maps 'id.prop'
    to the value sent (other inputs and states are sent as null)."""
    (dep,) = [
        d
        for d in deps
        if changed in [f"{i['id']}.{i['property']}" for i in d["inputs"]]
        and output in d["output"]
    ]

    def fill(items):
        return [{**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

    return {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]),
        "inputs": fill(dep["inputs"]),
        "changedPropIds": [changed],
        "state": fill(dep["state"]),
    }


def post(client, deps: list, changed: str, values: dict, output: str = ""):
    """POST the callback that `changed` triggers with Flask's test `client`, as the
    renderer does (see `body`)."""
    return client.post(UPDATE, json=body(deps, changed, values, output))
