"""Options and output helpers shared by every command."""
from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import math
import shlex
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import click

import logicbone as lb

F = TypeVar("F", bound=Callable[..., Any])

format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True, help="Output format on stdout.")


def update_option(default: "lb.Update", schemes: "Sequence[lb.Update] | None" = None,
                  help: str = "Update scheme.") -> Callable[[F], F]:
    """``--update``, the same for every command: the spellings of :class:`lb.Update`
    (``schemes``, default all), read by :meth:`lb.Update.parse`; the command receives an
    ``lb.Update``."""
    return click.option(
        "--update", type=click.Choice(lb.Update.labels(schemes)), default=default.label,
        show_default=True, callback=lambda _ctx, _param, value: lb.Update.parse(value),
        help=help)


def method_option(modes: "type[lb.Mode]", help: str,
                  default: str = "auto") -> Callable[[F], F]:
    """``--method``, the same for every command: the spellings of one method enum
    (``lb.AttractorMethod``, ``lb.FixedPointMethod``), read by its ``parse``; the command
    receives the enum member."""
    return click.option(
        "--method", type=click.Choice(modes.labels()), default=default, show_default=True,
        callback=lambda _ctx, _param, value: modes.parse(value), help=help)


# ---------------------------------------------------------------- option values
# Each kind of value is declared once here; a meaningless value is refused in one line (an
# lb.UsageError: exit 2) before any work starts.

def refuse(param: click.Parameter | None, value: object, why: str) -> NoReturn:
    """Refuse an option value: ``--steps -1: must be at least 0``."""
    opts = list(getattr(param, "opts", None) or ["value"])
    name = next((o for o in opts if o.startswith("--")), opts[0])
    raise lb.UsageError(f"{name} {shlex.quote(str(value))}: {why}")


class Count(click.ParamType):
    """A whole number in ``[min, max]``; ``1e6`` is accepted when it is a whole number. Above
    ``max`` the message names the maximum and ``instead``, what to use instead."""

    name = "integer"

    def __init__(self, min: int = 0, max: int | None = None, instead: str = "") -> None:
        self.min = min
        self.max = max
        self.instead = instead

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        else:
            text = str(value).strip()
            try:
                n = int(text)
            except ValueError:
                try:
                    x = float(text)
                except ValueError:
                    refuse(param, value, "not a whole number")
                if not math.isfinite(x) or x != int(x):
                    refuse(param, value, "not a whole number")
                n = int(x)
        if n < self.min:
            refuse(param, value, f"must be at least {self.min}")
        if self.max is not None and n > self.max:
            refuse(param, value, f"above the maximum of {self.max:,}"
                   + (f"; {self.instead}" if self.instead else ""))
        return n


class Seconds(click.ParamType):
    """A duration in seconds: a finite number above 0 (not nan, inf, 0 or negative)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            x = float(value)
        except (TypeError, ValueError):
            refuse(param, value, "not a number of seconds")
        if not math.isfinite(x) or x <= 0:
            refuse(param, value, "a number of seconds must be finite and above 0")
        return x


class Jobs(click.ParamType):
    """Local worker processes: a whole number from 1, or ``auto`` (one per core)."""

    name = "N|auto"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return lb.default_jobs()
        return Count(min=1).convert(value, param, ctx)


def _scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--scheduler``: checked (form, dask installed, the port answers) before any work."""
    if value is None:
        return None
    try:
        return lb.check_scheduler(value)
    except lb.UsageError as err:
        raise lb.UsageError(f"--scheduler: {err}") from None


def one_of_flags(dest: str, flags: Mapping[str, str], default: str) -> Callable[[F], F]:
    """Flags that exclude each other (``--min``/``--max``/``--all``): the command receives
    ``dest`` (the flag given, else ``default``); two of them together are refused."""
    def deco(f: F) -> F:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = [name for name in flags if kwargs.pop(f"{dest}_{name}")]
            if len(given) > 1:
                raise lb.UsageError(f"{' and '.join('--' + g for g in given)} exclude each "
                                    "other; give one")
            kwargs[dest] = given[0] if given else default
            return f(*args, **kwargs)

        for name, text in reversed(list(flags.items())):
            wrapper = click.option(f"--{name}", f"{dest}_{name}", is_flag=True,
                                   help=text + (" [default]" if name == default else ""))(wrapper)
        return wrapper  # type: ignore[return-value]
    return deco


#: the longest trajectory ``simulate`` prints, and the longest ``plot trajectory`` draws
MAX_SIMULATE_STEPS = 1_000_000
MAX_PLOT_STEPS = 10_000


def steps_option(default: int, maximum: int, instead: str) -> Callable[[F], F]:
    """``--steps N``: a whole number from 0 up to a documented ``maximum``."""
    return click.option("--steps", type=Count(min=0, max=maximum, instead=instead),
                        default=default, show_default=True,
                        help=f"Number of updates (at most {maximum:,}).")


def output_check(path: str | None, force: bool, formats: Mapping[str, str] | None = None,
                 fmt: str | None = None, default: str | None = None,
                 what: str = "output") -> str | None:
    """Check an output path once, before any work (:func:`lb.check_output_path`); returns
    its format. ``None`` and ``-`` (stdout) pass."""
    if path is None or path == "-":
        return fmt
    return lb.check_output_path(path, force=force, formats=formats, format=fmt,
                                default=default, what=what)


def partial_answer_options(f):
    """``--limit N`` and ``--timeout SECONDS``: stop early with an answer marked partial."""
    f = click.option("--timeout", type=Seconds(), default=None, metavar="SECONDS",
                     help="Stop after this many seconds with what was found (marked partial).")(f)
    return click.option("--limit", type=Count(min=1), default=None, metavar="N",
                        help="Stop after N answers (the output says whether the list is "
                             "complete).")(f)


undefined_option = click.option(
    "--undefined-as-input", is_flag=True,
    help="Take regulators that have no rule as inputs (with a warning) instead of an error.")

class ModelParam(click.ParamType):
    """A model file, or the name of a shipped model (``bone_muscle``): given as a path."""

    name = "MODEL"

    def convert(self, value, param, ctx):
        # an unknown name raises lb.UnknownModelError (an InputError: one line, exit 2)
        return str(lb.models.resolve(value))


def model_argument_opt(required: bool = True, default: str | None = None):
    """The MODEL argument of a command: a file or a shipped model's name."""
    return click.argument("model", type=ModelParam(), required=required, default=default)


model_argument = model_argument_opt()

model_format_option = click.option(
    "--model-format", default=None, help="Model dialect, if the extension does not tell.")


#: Seconds a model may always take to read, however short ``--timeout`` is (a tiny limit
#: still reads a small model and gives a partial answer).
READ_FLOOR = 1.0


def command_budget() -> lb.Budget:
    """The budget of the current command, from its ``--timeout`` (at least
    :data:`READ_FLOOR`): started when first asked for (by :func:`load`, before the model is
    read), so that the time spent reading and converting counts against the limit."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return lb.Budget()
    budget = ctx.meta.get("logicbone.budget")
    if budget is None:
        timeout = ctx.params.get("timeout")
        budget = ctx.meta["logicbone.budget"] = lb.Budget(
            timeout=None if timeout is None else max(timeout, READ_FLOOR))
    return budget


@contextlib.contextmanager
def reading(what: str) -> Iterator[lb.Budget]:
    """Within the block, readers and converters stop at the command's ``--timeout``; the
    error says what was being done."""
    budget = command_budget()
    with budget.active():
        try:
            yield budget
        except lb.BudgetExceeded as err:
            raise lb.AnalysisTimeout(f"{what}: {err} after {budget.elapsed():.1f} s") from err


def load(model: str, undefined_as_input: bool = False, model_format: str | None = None) -> "lb.Network":
    """Read a model for a command (errors propagate to the group's handler; the reader's
    warnings are shown only once the model has been read); the command's ``--timeout`` holds
    while it is read."""
    with reading(f"{model}: reading the model"), lb.deferred_warnings():
        return lb.read_network(model, format=model_format,
                               undefined="input" if undefined_as_input else "error")


def render_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A plain aligned text table."""
    cells = [[str(h) for h in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    # the last column is not padded: one very long cell would pad every line to its length
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(r[:-1], widths)), r[-1]]).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def terminal_width() -> int:
    """The width tables fit (the terminal's, or $COLUMNS, else 100)."""
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


table_nodes_option = click.option(
    "--nodes", "--readouts", "table_nodes", multiple=True, metavar="A,B",
    help="Table columns: these nodes (default: the nodes that differ across the rows when "
         "the full table would not fit the terminal). JSON and CSV are unchanged.")


def spaces_table(head: str, nodes: Sequence[str], spaces: Sequence[str], inputs: Sequence[str],
                 plain: Callable[[], str], chosen: Sequence[str] = (),
                 labels: Sequence[str] | None = None, notes: Sequence[str] = (),
                 star: str = "oscillating") -> str:
    """The table view of many subspaces: ``plain()`` when it fits the terminal and no columns
    are chosen, else the readable layout (varying nodes, rows grouped by inputs, fitted)."""
    width = terminal_width()
    tail = "".join(f"\nnote: {n}" for n in notes)
    columns = [n.strip() for g in chosen for n in g.split(",") if n.strip()] or None
    head = "\n".join(textwrap.wrap(head, width, break_on_hyphens=False) or [""])
    if columns is None:
        rest = plain().split("\n", 1)[1:]  # its first line is the head, wrapped here
        if all(len(line) <= width for part in rest for line in part.splitlines()):
            return head + ("\n" + rest[0] if rest else "")
    lay = lb.layout_spaces(nodes, spaces, inputs=inputs, columns=columns)
    body = lb.format_spaces(lay, width=width, labels=labels, star=star)
    return head + "\n\n" + body + tail


def fit_table(header: Sequence[str], rows: Sequence[Sequence], width: int | None = None,
              keep: int = 1) -> str:
    """:func:`render_table` fitted to ``width``: the columns after the first ``keep`` go in
    successive blocks (each repeating the first ``keep``) so that no line is wider."""
    width = width or terminal_width()
    whole = render_table(header, rows)
    if all(len(line) <= width for line in whole.splitlines()) or len(header) <= keep:
        return whole
    cells = [[str(h) for h in header]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lead = sum(widths[:keep]) + 2 * keep
    blocks: list[list[int]] = [[]]
    used = lead
    for i in range(keep, len(header)):
        if blocks[-1] and used + widths[i] > width:
            blocks.append([])
            used = lead
        blocks[-1].append(i)
        used += widths[i] + 2
    out = []
    for k, block in enumerate(blocks):
        cols = list(range(keep)) + block
        text = render_table([header[i] for i in cols], [[r[i] for i in cols] for r in rows])
        out.append("\n".join(line if len(line) <= width else line[: width - 3] + "..."
                             for line in text.splitlines()))
    note = f"({len(header) - keep} columns in {len(blocks)} blocks to fit the width)"
    return "\n\n".join(out) + "\n" + note


def wrap_line(text: str, width: int | None = None) -> str:
    """One line of prose wrapped to the terminal's width."""
    return "\n".join(textwrap.wrap(text, width or terminal_width(), break_on_hyphens=False)
                     or [""])


def render_csv(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().rstrip("\n")


def json_text(data: dict, long: int = 1000) -> str:
    """``data`` as JSON, indented; a list of more than ``long`` items at its top level has
    one item per line, each compact. Indenting takes the encoder written in Python, the
    compact items the one in C: 1.3 s against 2.3 s for 419,135 attractors."""
    if not any(isinstance(v, list) and len(v) > long for v in data.values()):
        return json.dumps(data, indent=1)
    parts, encode = [], json.JSONEncoder().encode
    for k, v in data.items():
        if isinstance(v, list) and len(v) > long:
            text = "[\n  " + ",\n  ".join(map(encode, v)) + "\n ]"
        else:       # as indented whole (a string in JSON holds no raw newline)
            text = json.dumps(v, indent=1).replace("\n", "\n ")
        parts.append(f" {json.dumps(k)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}"


def emit(fmt: str, data: dict, header: Sequence[str], rows: Sequence[Sequence],
         table: Callable[[], str] | None = None) -> None:
    """Write a result to stdout: ``data`` as JSON, ``header``/``rows`` as CSV or a table.

    ``table`` may give a richer table rendering than the plain rows.
    """
    if fmt == "json":
        out = json_text(data)
    elif fmt == "csv":
        out = render_csv(header, rows)
    else:
        out = table() if table else render_table(header, rows)
    click.echo(out)


def echo_err(msg: str) -> None:
    click.echo(msg, err=True)


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


# ---------------------------------------------------------------- perturbations

def perturbation_options(f):
    """``--ko``, ``--oe``, ``--fix``, ``--inputs``, ``--scenario``: one syntax for every analysis.

    The decorated command receives ``ko``, ``oe``, ``fix_`` and ``inputs_``; it calls
    :func:`perturbation_from` with them, which also applies ``--scenario`` (resolved in
    ``--scenario-file``, by default ``<model stem>.scenarios.yaml`` next to the model).
    """
    opts = [
        click.option("--ko", multiple=True, metavar="NODE[,NODE]",
                     help="Knock out (hold OFF) these nodes. Repeatable."),
        click.option("--oe", multiple=True, metavar="NODE[,NODE]",
                     help="Over-express (hold ON) these nodes. Repeatable."),
        click.option("--fix", "fix_", multiple=True, metavar="A=0,B=1",
                     help="Hold nodes at values. Repeatable."),
        click.option("--inputs", "inputs_", multiple=True, metavar="A=1,B=0",
                     help="Fix input nodes (inputs are free unless fixed). Repeatable."),
    ]
    for opt in reversed(opts):
        f = opt(f)

    @functools.wraps(f)
    def wrapper(*args, scenario=(), scenario_file=None, **kwargs):
        ctx = click.get_current_context()
        ctx.meta["logicbone.scenario"] = (tuple(scenario), scenario_file)
        return f(*args, **kwargs)

    wrapper = click.option(
        "--scenario-file", type=click.Path(dir_okay=False), default=None,
        help="YAML file of named scenarios (default: <model stem>.scenarios.yaml next to "
             "the model).")(wrapper)
    wrapper = click.option(
        "--scenario", multiple=True, metavar="NAME",
        help="Apply a named scenario (e.g. rapamycin; A+B combines two). The other "
             "perturbation options apply on top. Repeatable.")(wrapper)
    return wrapper


def scenarios_for(model: str | None, scenario_file: str | None = None,
                  required: bool = False) -> dict:
    """The scenarios of a model: ``scenario_file``, else ``<model stem>.scenarios.yaml``.

    An absent default file gives no scenarios (an error if ``required``).
    """
    if scenario_file:
        return lb.read_scenarios(scenario_file)
    if model:
        path = lb.scenario_path_for(model)
        if path.exists():
            return lb.read_scenarios(path)
        if required:
            raise lb.PerturbationError(
                f"no scenario file {path} next to the model; give one with --scenario-file")
    return {}


def perturbation_from(ko=(), oe=(), fix_=(), inputs_=(), scenario=None,
                      scenario_file=None, model=None) -> "lb.Perturbation":
    """The perturbation the options describe: scenarios first, later options on top.

    ``scenario``/``scenario_file``/``model`` default to what the current command received.
    """
    values: dict[str, int] = {}
    label = None
    ctx = click.get_current_context(silent=True)
    if scenario is None and ctx is not None:
        scenario, stashed_file = ctx.meta.get("logicbone.scenario", ((), None))
        scenario_file = scenario_file or stashed_file
    if model is None and ctx is not None:
        model = ctx.params.get("model")
    if scenario:
        known = scenarios_for(model, scenario_file, required=True)
        for name in scenario:
            values.update(lb.resolve_condition(name, known))
        label = "+".join(scenario)
    # the options on top of the scenarios must agree among themselves
    given: dict[str, tuple[int, str]] = {}

    def put(clamps: Mapping[str, int], option: str) -> None:
        for name, value in clamps.items():
            if name in given and given[name][0] != value:
                other = given[name][1]
                how = f"by {other}" if other == option else f"by {other} and {option}"
                raise lb.PerturbationError(f"'{name}' is set both ON and OFF ({how})")
            given[name] = (value, option)
        values.update(clamps)

    for group in inputs_:
        put(lb.parse_assignments(group), "--inputs")
    for group in fix_:
        put(lb.parse_assignments(group), "--fix")
    for group in ko:
        put({n.strip(): 0 for n in group.split(",") if n.strip()}, "--ko")
    for group in oe:
        put({n.strip(): 1 for n in group.split(",") if n.strip()}, "--oe")
    if label and (ko or oe or fix_ or inputs_):
        label = None
    return lb.Perturbation(values, label)


def current_scenarios(model: str | None) -> dict:
    """The scenarios the current command can name: ``--scenario-file`` or the model's file."""
    ctx = click.get_current_context(silent=True)
    scenario_file = ctx.meta.get("logicbone.scenario", ((), None))[1] if ctx else None
    return scenarios_for(model, scenario_file)


def parallel_options(f):
    """``--jobs N`` (local processes) and ``--scheduler tcp://HOST:PORT`` (a Dask cluster)."""
    f = click.option("--scheduler", default=None, metavar="tcp://HOST:PORT|FILE",
                     callback=_scheduler,
                     help="Run on this Dask distributed scheduler (its address or scheduler "
                          "file) instead of local processes.")(f)
    f = click.option("-j", "--jobs", type=Jobs(), default="1", show_default=True,
                     help="Local worker processes ('auto': one per core). Results do not "
                          "depend on it.")(f)
    return f


# ---------------------------------------------------------------- long analyses

def progress_printer(ctx) -> "Callable[[str], None] | None":
    """A progress callback that writes to stderr (None under ``-q``)."""
    if (ctx.find_root().obj or {}).get("quiet"):
        return None
    return lambda msg: echo_err(f"... {msg}")


def partial_note(what: str, reason: str, shown: int, count=None, *,
                 limited: bool = True) -> str:
    """The stderr note of a list cut short by --limit, --timeout or Ctrl-C; without
    ``limited`` (no --limit given), a limit reached is the most listed at once."""
    total = f" of {count:,}" if count is not None else ""
    if reason == "limit" and not limited:
        # (a part cut at the most listed at once may leave fewer shown: those of one run)
        return (f"note: partial list: {shown:,}{total} {what} shown; there are more than the "
                "most listed at once; count them all with --count")
    why = {"limit": "--limit reached", "timeout": "--timeout reached",
           "interrupted": "interrupted"}.get(reason, reason)
    return f"note: partial list ({why}): {shown:,}{total} {what} shown"


@contextlib.contextmanager
def analysis_budget(timeout: float | None = None, limit: int | None = None,
                    progress: Callable[[str], None] | None = None) -> Iterator[lb.Budget]:
    """The budget of one long analysis: ``--timeout``, ``--limit``, progress, and the first
    Ctrl-C or SIGTERM, which stops the analysis with what it found (a second one aborts).
    After writing the answer, call :func:`exit_if_interrupted`. The time spent reading the
    model counts against ``timeout``."""
    if timeout is not None:
        timeout = max(timeout - command_budget().elapsed(), 1e-6)
    budget = lb.Budget(timeout=timeout, limit=limit, progress=progress)
    with budget.catch_interrupts():
        yield budget


def exit_if_interrupted(budget: lb.Budget) -> None:
    """Exit with status 130 (after the partial answer was written) if ``budget`` was
    interrupted."""
    if budget.interrupted:
        echo_err("interrupted")
        click.get_current_context().exit(130)


def emit_count(fmt: str, model: str, nodes: list[str], what: str,
               counter: Callable[[lb.Budget], int], extra: dict | None = None, *,
               timeout: float | None = None,
               progress: Callable[[str], None] | None = None) -> None:
    """Run ``counter`` under a budget and write the count; a timeout or Ctrl-C gives its
    lower bound, marked inexact (exit 130 after Ctrl-C)."""
    at_most = None
    with analysis_budget(timeout, None, progress) as budget:
        try:
            count, exact = counter(budget), True
        except lb.AnalysisTimeout as err:
            count, exact = getattr(err, "at_least", None) or 0, False
            at_most = getattr(err, "at_most", None)
            echo_err(f"note: {err}; a lower bound")
    extra = extra or {}
    data = {"model": model, "nodes": nodes, **extra, "count": count, "exact": exact}
    if at_most is not None:       # a proven upper bound of an inexact count
        data["at_most"] = at_most
    most = f" (at most {at_most:,})" if at_most is not None else ""
    if count == 1 and exact and what.endswith("s"):
        what = what[:-1]                    # "1 fixed point"
    emit(fmt, data, ["model", *extra, "count", "exact"], [[model, *extra.values(), count, exact]],
         lambda: f"{model}: {'' if exact else 'at least '}{count:,}{most} {what}")
    exit_if_interrupted(budget)



# ---------------------------------------------------------------- start states (responses)

_FROM_HELP = ("Start state: 0/1 per node in node order, or A=1,B=0 (the nodes not named take "
              "their value in the --from-scenario attractor, else 0). Nodes the perturbation "
              "options clamp start at their clamped value.")


def start_options(multiple: bool = True, required: bool = False):
    """``--from STATE`` and ``--from-scenario CONDITION``: one syntax for every start."""
    def deco(f):
        f = click.option(
            "--from-scenario", "from_scenario", default=None, metavar="CONDITION",
            help="Start in the attractor(s) of this condition (a scenario, wt, A=0,...), then "
                 "follow the condition the perturbation options give (e.g. --from-scenario "
                 "baseline --scenario disuse).")(f)
        return click.option("--from", "from_", multiple=multiple, required=required,
                            default=() if multiple else "", metavar="STATE",
                            help=_FROM_HELP + (" Repeatable." if multiple else ""))(f)
    return deco


def start_states(model: str, net: "lb.Network", from_, from_scenario: str | None,
                 pert: "lb.Perturbation", update: str) -> tuple[int, ...]:
    """The start states of ``--from``/``--from-scenario`` (``net`` without ``pert``)."""
    texts = [from_] if isinstance(from_, str) else list(from_)
    texts = [t for t in texts if t.strip()] or ([] if from_scenario or not texts else [""])
    scenarios = current_scenarios(model) if from_scenario else None
    return lb.initial_states(net, texts, condition=from_scenario, scenarios=scenarios,
                             clamps=pert, update=update)


def response_label(from_scenario: str | None, pert: "lb.Perturbation") -> str:
    """``baseline -> disuse``: what a response graph shows."""
    return f"{from_scenario or 'start'} -> {pert.label}"
