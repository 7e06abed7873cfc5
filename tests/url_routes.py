"""Turn a URL route of the URLconf into a path of one cycle, for the sweeps over every URL."""

from compass.models import Step


def fill(route, cycle):
    values = {
        "cycle": cycle.pk,
        "cycle_pk": cycle.pk,
        "step": Step.AMBITIONS,
        "version": 1,
        "table": "ambities",
        "code": cycle.municipality.code,
        "indicator": "vt-meldingen",
        "token": "x",
        "pk": 1,
        "district": f"WK{cycle.municipality.code[2:]}01",
    }
    path = route
    for name, value in values.items():
        for converter in ("int", "str", "slug", "path"):
            path = path.replace(f"<{converter}:{name}>", str(value))
        path = path.replace(f"<{name}>", str(value))
    assert "<" not in path, f"fill() does not know a parameter of {route}: add it"
    return "/" + path.lstrip("^").rstrip("$")
