"""``logicbone stochastic MODEL``: probabilities over time under rates (MaBoSS semantics)."""
from __future__ import annotations

import click

import logicbone as lb

from ..options import (Seconds, current_scenarios, echo_err, emit, format_option, load,
                       model_argument, model_format_option, output_check, parallel_options, perturbation_from,
                       perturbation_options, progress_printer, render_csv, render_table,
                       undefined_option)


def _names(groups) -> list[str]:
    return [n.strip() for g in groups for n in g.split(",") if n.strip()]


def _number(text: str, what: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise lb.UsageError(f"{what}: '{text}' is not a number") from None
    if not x >= 0 or x == float("inf"):
        raise lb.UsageError(f"{what}: {text} must be a finite number >= 0")
    return x


def rates_from(rates_file: str | None, specs, base: "lb.Rates | None" = None) -> "lb.Rates":
    """The rates of ``--rates FILE`` (on top of ``base``) with each ``--rate`` on top."""
    rates = base or lb.Rates()
    if rates_file:
        rates = rates.merged(lb.read_rates(rates_file))
    for spec in specs:
        node, side, op, value = lb.parse_rate_option(spec)
        if op == "*":
            key = f"{node}.{side}" if side else node
            rates = rates.scaled({key: _number(value, f"--rate {spec}")})
        else:
            expr = lb.parse_rate(value)
            c = expr.constant(rates.params) if not expr.params - set(rates.params) else None
            if c is not None:
                _number(value, f"--rate {spec}")
            table = dict(rates.rates)
            for s in ((side,) if side else ("up", "down")):
                table[(node, s)] = expr
            rates = lb.Rates(table, rates.params, rates.ungated)
    return rates


def _doses(spec: str) -> tuple[str, list[float]]:
    key, eq, values = spec.partition("=")
    if not eq or not key.strip():
        raise lb.UsageError(f"--dose {spec}: expected NODE.up=F1,F2,... (rate factors)")
    factors = [_number(v.strip(), f"--dose {spec}") for v in values.split(",") if v.strip()]
    if not factors:
        raise lb.UsageError(f"--dose {spec}: no factor given")
    return key.strip(), factors


def _fmt(p: float, e: float, sampled: bool) -> str:
    return f"{p:.3f} ± {e:.3f}" if sampled else f"{p:.4f}"


def _table(res: "lb.StochasticResult", readouts: list[str], label: str = "") -> str:
    sampled = res.method == "sampled"
    head = (f"{res.model}{' [' + label + ']' if label else ''}: {res.method}"
            + (f", {res.samples:,} trajectories, seed {res.seed}" if sampled else "")
            + f"; P(ON) averaged over each window of {res.tick:g}"
            + (" (± standard error)" if sampled else ""))
    rows = [[f"{t:g}"] + [_fmt(res.probability(r)[k], res.error(r)[k], sampled)
                          for r in readouts] for k, t in enumerate(res.times)]
    out = [head, "", render_table(["time", *readouts], rows), "",
           f"most probable states at t = {res.max_time:g} (readouts ON; entropy "
           f"{res.entropy:.3f} bits over {res.distinct_states:,} states):"]
    idx = [res.nodes.index(r) for r in readouts]
    srows = []
    for state, p, e in res.final_states[:5]:
        on = [res.nodes[i] for i in idx if (state >> i) & 1]
        srows.append([_fmt(p, e, sampled), " ".join(on) or "-"])
    out.append(render_table(["probability", "readouts ON"], srows))
    fp = res.first_passage
    if fp is not None:
        mean = "-" if fp["mean_time"] is None else f"{fp['mean_time']:.3g}" + (
            f" ± {fp['mean_time_error']:.2g}" if fp.get("mean_time_error") else "")
        out += ["", f"first passage to {fp['phenotype']}: reached by t = {res.max_time:g} "
                    f"with probability {fp['reached'][-1]:.3f}; mean time (of those) {mean}"]
    if res.notes:
        out += [""] + [f"note: {n}" for n in res.notes]
    return "\n".join(out)


def _summary(runs: dict, readouts: list[str], what: str) -> tuple[list[str], list[list]]:
    header = [what] + [f"P({r})" for r in readouts] + [f"se({r})" for r in readouts]
    rows = []
    for label, res in runs.items():
        rows.append([label] + [f"{res.probability(r)[-1]:.4f}" for r in readouts]
                    + [f"{res.error(r)[-1]:.4f}" for r in readouts])
    return header, rows


@click.command("stochastic")
@model_argument
@click.option("--time", "max_time", type=float, default=10.0, show_default=True, metavar="T",
              help="Max time T (in the rates' time unit).")
@click.option("--tick", type=float, default=None, metavar="DT",
              help="Width of the time windows (default T/100).")
@click.option("--samples", type=int, default=10_000, show_default=True,
              help="Trajectories (sampled method).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed: the same seed gives the same answer whatever --jobs.")
@click.option("--method", type=click.Choice(["auto", "exact", "sampled"]), default="auto",
              show_default=True, help="exact: the CTMC on the reachable states (up to "
                                      "2^20); sampled: trajectories; auto: exact up to 2^14 "
                                      "reachable states, else sampled.")
@click.option("--rates", "rates_file", type=click.Path(dir_okay=False), default=None,
              help="Rate file: NODE.up = RATE, NODE.down = RATE, $param = NUMBER.")
@click.option("--rate", "rate_specs", multiple=True, metavar="NODE.up*F|NODE.down=RATE",
              help="Scale (NODE.up*0.2: a partial inhibition) or set a rate; NODE alone: "
                   "both directions. Repeatable.")
@click.option("--initial", default=None, metavar="A=0.3,B=1|0101...",
              help="Initial probabilities of nodes (the others 0.5, as MaBoSS), or one state.")
@click.option("--from-scenario", "from_scenario", default=None, metavar="NAME",
              help="Start in the attractors of the model under this scenario (e.g. the "
                   "resting state, baseline); the perturbation options then act on it.")
@click.option("--readouts", multiple=True, metavar="A,B",
              help="Nodes shown in the table, CSV and figure (default: the outputs).")
@click.option("--phenotype", default=None, metavar="A=1,B=0",
              help="Also report when this phenotype is first reached.")
@click.option("-c", "--condition", "conditions", multiple=True, metavar="COND",
              help="Compare: run under each condition (wt, A=0, a scenario, parts joined by "
                   "'+'), the perturbation options on top. Repeatable.")
@click.option("--dose", default=None, metavar="NODE.up=1,0.5,0.2",
              help="Dose sweep: one run per rate factor; a dose-response table (and figure).")
@click.option("--timeout", type=Seconds(), default=None,
              metavar="SECONDS", help="Stop sampling after this long (answer marked partial).")
@click.option("--plot", "plot_path", default=None,
              help="Figure of the readouts over time, with error bands (.png, .svg, .pdf, .eps or "
                   ".ps).")
@click.option("--force", is_flag=True, help="Overwrite the figure if it exists.")
@click.option("--cfg", "cfg_path", type=click.Path(dir_okay=False), default=None,
              help="MaBoSS .cfg of a .bnd MODEL (default: the .cfg beside it).")
@perturbation_options
@parallel_options
@format_option
@undefined_option
@model_format_option
@click.pass_context
def command(ctx, model, max_time, tick, samples, seed, method, rates_file, rate_specs, initial,
            from_scenario, readouts, phenotype, conditions, dose, timeout, plot_path, force,
            cfg_path, ko, oe, fix_, inputs_, jobs, scheduler, fmt, undefined_as_input,
            model_format):
    """Probabilities over time of MODEL's nodes, as MaBoSS defines them.

    In continuous time, each node whose rule disagrees with its value flips at its rate
    (1 unless --rates/--rate say otherwise). Reports P(node ON) per time window with
    standard errors, the most probable states at T and their entropy.
    """
    if initial and from_scenario:
        raise lb.UsageError("give --initial or --from-scenario, not both")
    if dose and conditions:
        raise lb.UsageError("give --dose or --condition, not both")
    output_check(plot_path, force, lb.FIGURE_FORMATS, what="figure")
    base_rates = None
    if lb.format_for_path(model, model_format) == "maboss":
        # a MaBoSS model runs as MaBoSS would run it; options given here win over its .cfg
        with lb.deferred_warnings():
            mb = lb.read_maboss(model, cfg_path,
                                undefined="input" if undefined_as_input else "error")
        base, base_rates = mb.network, mb.rates
        given = {k for k in ctx.params
                 if ctx.get_parameter_source(k) is not click.core.ParameterSource.DEFAULT}
        if "max_time" not in given and mb.max_time is not None:
            max_time = mb.max_time
        if "tick" not in given and mb.time_tick is not None:
            tick = min(mb.time_tick, max_time)
        if "samples" not in given and mb.sample_count is not None:
            samples = mb.sample_count
        if "seed" not in given and mb.seed is not None:
            seed = mb.seed
        if initial is None and not from_scenario:
            initial = mb.initial
    elif cfg_path:
        raise lb.UsageError("--cfg goes with a MaBoSS .bnd model")
    else:
        base = load(model, undefined_as_input, model_format)
    pert = perturbation_from(ko, oe, fix_, inputs_)
    rates = rates_from(rates_file, rate_specs, base_rates)
    rates.check(base.names)
    shown = _names(readouts) or list(base.outputs) or list(base.names[:8])
    base.check_nodes(shown)
    start = initial
    if from_scenario:
        known = current_scenarios(model)
        start_net = lb.resolve_condition(from_scenario, known, base).apply(base)
        start = lb.attractor_initial(start_net)
    runs: dict[str, tuple[lb.Network, lb.Rates]] = {}
    if conditions:
        known = current_scenarios(model)
        for c in conditions:
            p = lb.resolve_condition(c, known, base).merged(pert)
            runs[c] = (p.apply(base), rates)
    elif dose:
        key, factors = _doses(dose)
        for f in factors:
            runs[f"{key}*{f:g}"] = (pert.apply(base), rates.scaled({key: f}))
    else:
        runs[""] = (pert.apply(base), rates)
    budget = lb.Budget(timeout=timeout, progress=progress_printer(ctx))
    results: dict[str, lb.StochasticResult] = {}
    with budget.catch_interrupts():
        for label, (net, r) in runs.items():
            results[label] = lb.stochastic(
                net, max_time, tick, samples=samples, seed=seed, rates=r, initial=start,
                method=method, phenotype=phenotype, jobs=jobs, scheduler=scheduler,
                budget=budget, model=model)
            if budget.expired():
                break
    for label, res in results.items():
        if not res.complete:
            echo_err(f"note: partial answer{' for ' + label if label else ''}: "
                     f"{res.samples:,} of {samples:,} trajectories")
    if plot_path:
        if dose:
            fig = lb.plot_dose_response(results, shown, title=model)
        else:
            fig = lb.plot_stochastic(results if len(results) > 1 else results[""], shown,
                                     title=model)
        lb.save_figure(fig, plot_path, force=force)
        echo_err(f"wrote {plot_path}")
    if len(runs) == 1:
        res = results[""]
        rows = [[f"{t:g}", r, f"{res.probability(r)[k]:.6g}", f"{res.error(r)[k]:.6g}"]
                for k, t in enumerate(res.times) for r in shown]
        emit(fmt, res.to_dict(), ["time", "node", "probability", "error"], rows,
             lambda: _table(res, shown))
        return
    what = "dose" if dose else "condition"
    data = {"model": model, "nodes": list(base.names), "kind": what,
            "runs": [{"label": k, **v.to_dict()} for k, v in results.items()],
            "complete": all(v.complete for v in results.values()) and len(results) == len(runs)}
    if fmt == "csv":
        rows = [[label, f"{t:g}", r, f"{res.probability(r)[k]:.6g}", f"{res.error(r)[k]:.6g}"]
                for label, res in results.items() for k, t in enumerate(res.times)
                for r in shown]
        click.echo(render_csv([what, "time", "node", "probability", "error"], rows))
        return
    if fmt == "json":
        emit(fmt, data, [], [])
        return
    header, rows = _summary(results, shown, what)
    first = next(iter(results.values()))
    text = [f"{model}: P(ON) in the last window (ending at t = {first.max_time:g}), "
            f"{first.method}" + (f", {first.samples:,} trajectories each" if
                                 first.method == "sampled" else ""),
            "", render_table(header, rows)]
    for label, res in results.items():
        text += ["", _table(res, shown, label)]
    click.echo("\n".join(text))
