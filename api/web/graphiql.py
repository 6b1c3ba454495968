"""GraphiQL served from the project, not a CDN: strawberry's page loads React and GraphiQL from public
hosts, so on a machine without internet access (and in the secure enclaves where health data is
studied) it never gets past "Loading...".

The builds are pinned in tools/graphiql-assets/package.json (and its lock), installed from the npm
registry by `make graphiql-assets` (part of `make setup`), and copied here by
`python -m api.web.graphiql NODE_MODULES`. Without them /graphql says so instead of hanging.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "graphiql.html"
ASSETS_DIR = HERE / "static" / "graphiql"
MARKER = ".installed"

# Served name -> (npm package, file in it). Versions: tools/graphiql-assets/package.json.
ASSETS = {
    "react.production.min.js": ("react", "umd/react.production.min.js"),
    "react-dom.production.min.js": ("react-dom", "umd/react-dom.production.min.js"),
    "graphiql.min.js": ("graphiql", "graphiql.min.js"),
    "graphiql.min.css": ("graphiql", "graphiql.min.css"),
    "plugin-explorer.umd.js": ("@graphiql/plugin-explorer", "dist/index.umd.js"),
    "plugin-explorer.css": ("@graphiql/plugin-explorer", "dist/style.css"),
}

# The README's flagship question, ready to run when GraphiQL opens (a unit test keeps them equal).
FLAGSHIP_QUERY = """{
  guidelineCitationStats(diagnosis: "lumbar radiculopathy", outcome: UPHELD, citedBy: IMR_REVIEWER) {
    guideline { family title url }
    section pages decisions share
  }
}
"""
DEFAULT_QUERY = (
    "# The flagship question: the guideline sections the IMR\n"
    "# reviewer cites most often when a denial is upheld for\n"
    "# lumbar radiculopathy. Run it with the play button (or\n"
    "# Ctrl-Enter); more examples in docs/queries.md.\n" + FLAGSHIP_QUERY
)

MISSING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imr-graph GraphiQL: assets not installed</title></head>
<body style="font: 15px/1.45 system-ui, sans-serif; max-width: 760px; margin: 2em auto">
<h1>GraphiQL's assets are not installed</h1>
<p>This API serves GraphiQL from the project, never from a CDN, and its files are missing from
<code>{assets_dir}</code> (missing: {missing}).</p>
<p>Install them with <code>make graphiql-assets</code> (part of <code>make setup</code>; it needs Node.js
and npm and takes the pinned versions in <code>tools/graphiql-assets/</code> from the npm registry).</p>
<p>The API itself works: POST GraphQL to this URL, for example<br>
<code>curl -s {url} -H 'content-type: application/json' -d '{{"query": "{{ __typename }}"}}'</code></p>
</body></html>
"""


def missing_assets(directory: Path = ASSETS_DIR) -> list[str]:
    return [name for name in ASSETS if not (directory / name).is_file()]


def assets_installed(directory: Path = ASSETS_DIR) -> bool:
    return not missing_assets(directory)


def page(url: str = "/graphql", directory: Path = ASSETS_DIR) -> str:
    """The GraphiQL page, or one that says which assets are missing and how to install them."""
    missing = missing_assets(directory)
    if missing:
        return MISSING_PAGE.format(
            assets_dir=html.escape(str(directory)),
            missing=html.escape(", ".join(missing)),
            url=html.escape(url),
        )
    # "</" inside a <script> would end it early; JSON allows the escaped form.
    query = json.dumps(DEFAULT_QUERY).replace("</", "<\\/")
    return TEMPLATE.read_text(encoding="utf-8").replace("__DEFAULT_QUERY__", query)


def static_mount(directory: Path = ASSETS_DIR) -> Mount:
    return Mount("/static/graphiql", app=StaticFiles(directory=directory, check_dir=False), name="graphiql")


def install(node_modules: Path, directory: Path = ASSETS_DIR) -> None:
    """Copy the pinned builds out of an npm install; each file lands whole (temp + rename) and the
    marker, with the versions, last."""
    directory.mkdir(parents=True, exist_ok=True)
    versions: dict[str, str] = {}
    for name, (package, inner) in ASSETS.items():
        source = node_modules / package / inner
        if not source.is_file():
            raise SystemExit(f"{source}: not found; run `npm ci` in tools/graphiql-assets first")
        versions[package] = json.loads((node_modules / package / "package.json").read_text())["version"]
        with (
            tempfile.NamedTemporaryFile(dir=directory, delete=False, prefix=f".{name}.") as tmp,
            source.open("rb") as src,
        ):
            shutil.copyfileobj(src, tmp)
        os.chmod(tmp.name, 0o644)  # NamedTemporaryFile makes 0600; the server may run as another user
        os.replace(tmp.name, directory / name)
    (directory / MARKER).write_text(json.dumps(versions, indent=1, sort_keys=True) + "\n")
    print(f"GraphiQL assets in {directory}: " + ", ".join(f"{p}@{v}" for p, v in sorted(versions.items())))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m api.web.graphiql NODE_MODULES")
    install(Path(sys.argv[1]))
