import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_light():
    code = ("import bonemets_edu, sys; bonemets_edu.cite('fowler1989'); "
            "assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules, "
            "[m for m in sys.modules if m.startswith(('matplotlib', 'ipywidgets'))][:3]")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_lazy_submodules_and_unknown_attribute():
    import bonemets_edu

    assert bonemets_edu.style.BASE_FONT_PT >= 12
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        bonemets_edu.nonexistent  # noqa: B018


def test_models_never_import_plotting_or_widgets():
    """The one-way flow of STYLE.md §1: data → models → figures → widgets → notebooks."""
    pkg = ROOT / "bonemets_edu"
    for py in pkg.glob("*.py"):
        if py.name in {"style.py", "display.py", "canvas.py", "ui.py", "entry.py", "frontend.py", "quiz.py"}:  # presentation
            continue
        text = py.read_text("utf-8")
        assert not re.search(r"^\s*(import|from)\s+(matplotlib|ipywidgets|IPython)\b", text, re.M), py.name
        assert not re.search(r"^\s*from\s+\.(figures|widgets|display|ui|style)\b", text, re.M), py.name
    for py in (pkg / "figures").glob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+ipywidgets\b", py.read_text("utf-8"), re.M), py.name


def test_style_uses_matplotlib_colourblind_palette_and_large_text():
    import matplotlib.pyplot as plt

    from bonemets_edu import style

    assert style.COLORS == plt.style.library["tableau-colorblind10"]["axes.prop_cycle"].by_key()["color"]
    fig, ax = style.new_figure()
    assert ax.xaxis.label.get_fontsize() >= 12 and ax.get_xticklabels()[0].get_fontsize() >= 12
    # no hex colour lists in the package source: colours come from matplotlib
    for py in (ROOT / "bonemets_edu").rglob("*.py"):
        assert not re.search(r"['\"]#[0-9a-fA-F]{6}['\"]", py.read_text("utf-8")), py


def test_show_writes_alt_text_and_closes_the_figure(capsys):
    import matplotlib.pyplot as plt
    from IPython.core.interactiveshell import InteractiveShell

    from bonemets_edu import display

    InteractiveShell.instance()
    fig = plt.figure()
    fig.add_subplot().plot([0, 1], [1, 2])
    shown = []
    import IPython.display as ipd

    original = ipd.display
    try:
        display.display = lambda obj, **kw: shown.append((obj, kw))
        display.show(fig, alt='Line from (0, 1) to (1, 2) "quoted"')
    finally:
        display.display = original
    obj, kw = shown[0]
    assert 'alt="Line from (0, 1) to (1, 2) &quot;quoted&quot;"' in obj["text/html"]
    assert obj["text/plain"].startswith("Figure: Line")
    assert not plt.fignum_exists(fig.number)
    with pytest.raises(ValueError, match="alt"):
        display.figure_html(plt.figure(), alt=" ")


def test_env_check_verdicts():
    from bonemets_edu.envcheck import report, widget_verdict

    assert widget_verdict("8.1.9", "3.0.17")[0] is True
    ok, text = widget_verdict("8.1.9", "1.1.0")
    assert not ok and "Mismatch" in text and "3.x" in text
    assert widget_verdict(None, "3.0")[0] is False
    assert widget_verdict("8.1", None)[0] is False
    ok, text = report()
    assert "ipywidgets" in text and "jupyterlab_widgets" in text and "matplotlib" in text
    assert text.splitlines()[-1].startswith(("OK:", "PROBLEM:"))


def test_disclaimer_everywhere():
    from bonemets_edu import DISCLAIMER
    from bonemets_edu.widgets.course import study_planner

    assert "education only" in DISCLAIMER.lower()
    assert "education only" in study_planner().children[0].value.lower()


def test_course_map_matches_the_notebooks():
    from bonemets_edu import course

    for les in course.lessons(existing_only=True):
        import json

        nb = json.loads((course.NOTEBOOK_DIR / les.filename).read_text("utf-8"))
        head = "".join(nb["cells"][0]["source"])
        m = re.search(r"Estimated time:\**\s*(\d+)", head)
        assert m and int(m.group(1)) == les.minutes, f"{les.filename}: course.toml says {les.minutes} min"
        assert re.search(rf"^#\s+{re.escape(les.title.split(':')[0])}", head, re.M), les.filename
    assert {p.stem for p in course.NOTEBOOK_DIR.glob("*.ipynb")} <= {les.stem for les in course.lessons()}


def test_planner_model_and_widget():
    from bonemets_edu import course
    from bonemets_edu.widgets.course import study_planner

    all_lessons = course.lessons()
    fitting, total = course.plan(all_lessons[0].minutes, existing_only=False)
    assert [les.stem for les in fitting] == [all_lessons[0].stem] and total == all_lessons[0].minutes
    assert course.plan(0, existing_only=False) == ((), 0)
    with pytest.raises(ValueError, match="minutes_available"):
        course.plan(-5)
    w = study_planner(minutes=60)
    before = (w.text.value, w.pane.image)
    w.controls["minutes"].value = 0
    assert "not enough" in w.text.value
    assert w.pane.image != before[1] and w.pane.widget.value == w.pane.image
    assert "0 fit into 0 minutes" in w.pane.widget.alt


def test_ruff_is_clean():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--quiet", "bonemets_edu", "tools", "tests",
                        "benchmarks", "run.py"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _private_use(tree: ast.AST, own: set[str]) -> list[str]:
    """Private (``_``-prefixed, not dunder) names of matplotlib/ipywidgets that ``tree`` imports or uses."""
    found = []
    foreign = ("matplotlib", "ipywidgets", "mpl_toolkits")

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in foreign
                      and any(private(p) for p in a.name.split("."))]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in foreign:
            if any(private(p) for p in node.module.split(".")):
                found.append(node.module)
            found += [f"{node.module}.{a.name}" for a in node.names if private(a.name)]
        elif isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in own:
            # an attribute the package does not define itself: a private name of some object from a dependency
            # (a figure, a canvas, a widget, a module)
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def _own_private_names(trees) -> set[str]:
    own = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                own.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                own.add(node.attr)
            elif isinstance(node, ast.alias) and node.name.split(".")[0] == "_validate":
                own.add(node.name)
    own.add("_validate")  # the package's own helper module
    return {n for n in own if n.startswith("_")}


def test_no_private_name_of_matplotlib_or_ipywidgets_is_used():
    trees = {py: ast.parse(py.read_text("utf-8"), str(py)) for py in sorted((ROOT / "bonemets_edu").rglob("*.py"))}
    own = _own_private_names(trees.values())
    problems = {py.relative_to(ROOT).as_posix(): hits for py, tree in trees.items() if (hits := _private_use(tree, own))}
    assert not problems, f"private matplotlib/ipywidgets names in use (public API only): {problems}"


@pytest.mark.parametrize("source, expected", [
    ("from matplotlib.backends.backend_agg import RendererAgg\nRendererAgg._draw_text_glyphs_and_boxes", ".draw_text"),
    ("from matplotlib.font_manager import fontManager\nfontManager._find_fonts_by_props(None)", "._find_fonts"),
    ("from matplotlib.ft2font import _private", "matplotlib.ft2font._private"),
    ("import matplotlib._api", "matplotlib._api"),
    ("from ipywidgets.widgets import _foo", "ipywidgets.widgets._foo"),
    ("def f(canvas):\n    return canvas._lastKey", "._lastKey"),
])
def test_the_private_name_scan_catches_private_use(source, expected):
    hits = _private_use(ast.parse(source), own={"_helper"})
    assert any(expected.strip(".") in h for h in hits), hits


def test_the_private_name_scan_allows_public_use_and_the_packages_own_helpers():
    source = ("from matplotlib.backends.backend_agg import FigureCanvasAgg\nimport ipywidgets as w\n"
              "def _helper(x):\n    return x\nFigureCanvasAgg.draw\nw.VBox.__init__\nmodule._helper(1)")
    assert _private_use(ast.parse(source), own={"_helper"}) == []


def test_no_module_level_name_shadows_a_builtin():
    # e.g. a ``ReferenceError`` class would hide Python's own exception of that name in the module that defines it
    import builtins

    shadowing = {}
    for py in sorted((ROOT / "bonemets_edu").rglob("*.py")):
        for node in ast.parse(py.read_text("utf-8")).body:
            names = [node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else \
                [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            shadowing.update({f"{py.name}:{n}": n for n in names if hasattr(builtins, n) and not n.startswith("__")})
    assert not shadowing, shadowing
