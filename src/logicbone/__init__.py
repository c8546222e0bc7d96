"""logicbone: Boolean network models of cell signalling, built for bone and muscle biology.

The public API is what ``__all__`` lists. Submodules load on first use, so ``import
logicbone`` stays fast and heavy libraries are imported only where they are needed.

Examples
--------
>>> import logicbone as lb
>>> net = lb.parse_bnet("A, B\\nB, A")
>>> net.names
('A', 'B')
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> submodule that defines it
_API: dict[str, str] = {
    # errors
    "LogicboneError": "errors", "InputError": "errors", "OutputError": "errors",
    "UsageError": "errors", "RuleSyntaxError": "errors", "ModelError": "errors",
    "UnknownNodeError": "errors", "PerturbationError": "errors",
    "StateSpaceTooLarge": "errors", "ExpressionTooLarge": "errors",
    "AnalysisTimeout": "errors", "FileExistsRefused": "errors",
    # reading input: one reader for every text file; warnings held back until a read succeeds
    "InputFileError": "errors", "deferred_warnings": "errors",
    "read_text": "io.text", "read_bytes": "io.text", "MAX_INPUT_BYTES": "io.text",
    # budgets: time limits, answer limits, progress, interrupts
    "Budget": "budget", "Outcome": "budget", "StopReason": "budget", "BudgetExceeded": "budget",
    # model
    "Network": "network", "Metadata": "network", "ParsedModel": "network", "RuleEntry": "network",
    "Expr": "expr", "parse_expr": "expr", "to_text": "expr", "truth_table": "expr",
    # io
    "read_network": "io", "parse_network": "io", "write_network": "io",
    "format_network": "io", "write_text_atomic": "io", "format_for_path": "io",
    "MODEL_EXTENSIONS": "io",
    # output files: checked before the work, written atomically
    "check_output_path": "outputs", "atomic_open": "outputs", "AtomicFiles": "outputs",
    "write_atomic": "outputs", "save_figure": "outputs", "FIGURE_FORMATS": "outputs",
    "parse_bnet": "io.bnet", "read_bnet": "io.bnet", "to_bnet": "io.bnet", "write_bnet": "io.bnet",
    "parse_rules": "io.rules", "read_rules": "io.rules", "to_rules": "io.rules",
    "write_rules": "io.rules", "parse_booleannet": "io.rules", "read_booleannet": "io.rules",
    "to_booleannet": "io.rules",
    "parse_sbml": "io.sbml_qual", "read_sbml": "io.sbml_qual", "to_sbml": "io.sbml_qual",
    "write_sbml": "io.sbml_qual", "SBMLQualError": "io.sbml_qual",
    "parse_boolnet": "io.boolnet", "read_boolnet": "io.boolnet", "to_boolnet": "io.boolnet",
    "write_boolnet": "io.boolnet",
    "parse_cellcollective": "io.cellcollective", "read_cellcollective": "io.cellcollective",
    "to_cellcollective": "io.cellcollective", "write_cellcollective": "io.cellcollective",
    # the shipped models, by name
    "models": "shipped", "ShippedModels": "shipped", "UnknownModelError": "shipped",
    # readable tables of many subspaces (terminal and notebook)
    "SpaceLayout": "tables", "layout_spaces": "tables", "format_spaces": "tables",
    "spaces_html": "tables",
    # random networks
    "random_network": "generate",
    # perturbations
    "Perturbation": "perturb", "parse_assignments": "perturb",
    "check_perturbation": "perturb", "single_perturbations": "perturb",
    "double_perturbations": "perturb", "input_grid": "perturb",
    "Scenario": "scenarios", "parse_scenarios": "scenarios", "read_scenarios": "scenarios",
    "scenario_path_for": "scenarios", "resolve_condition": "scenarios",
    # parallel execution
    "parallel_map": "parallel", "ParallelError": "parallel", "default_jobs": "parallel",
    "check_scheduler": "parallel",
    # comparisons and screens
    "compare": "analysis.compare", "Comparison": "analysis.compare",
    "screen": "analysis.screen", "ScreenResult": "analysis.screen",
    "ScreenRecord": "analysis.screen", "read_screen": "analysis.screen",
    "ScreenFileError": "analysis.screen",
    "plot_comparison": "plot.compare",
    # dynamics and results
    "Update": "dynamics.update", "Attractor": "analysis.results",
    "AttractorResult": "analysis.results", "size_text": "analysis.results",
    "Kernel": "dynamics.kernel", "compile_network": "dynamics.kernel",
    "simulate": "dynamics.simulate", "parse_state": "dynamics.simulate",
    "attractors": "analysis.attractors", "explicit_attractors": "analysis.explicit",
    "async_attractors_symbolic": "analysis.async_attractors",
    "count_attractors": "analysis.attractor_count",
    "sync_attractors_sat": "analysis.sync_sat",
    # states and subspaces (codecs, Space, trap closure)
    "state_to_str": "space", "str_to_state": "space", "subspace_of": "space",
    "Space": "space", "trap_closure": "space",
    # modes: methods and kinds of question, parsed from their names by .parse
    "Mode": "modes", "AttractorMethod": "modes", "FixedPointMethod": "modes",
    "TrapSpaceKind": "modes",
    # parsed models before their checks (the rules with their positions)
    "parse_model": "io", "parse_bnet_model": "io.bnet", "parse_rules_model": "io.rules",
    "parse_booleannet_model": "io.rules", "parse_sbml_model": "io.sbml_qual",
    "parse_boolnet_model": "io.boolnet", "parse_cellcollective_model": "io.cellcollective",
    # tuning of the engines (fixed points, trap spaces, asynchronous attractors)
    "EngineSettings": "analysis.settings",
    # graphs and exports
    "interaction_graph": "analysis.interaction_graph",
    "state_transition_graph": "dynamics.stg", "stg_quotient": "dynamics.quotient",
    "StateTransitionGraph": "dynamics.stg", "QuotientGraph": "dynamics.quotient",
    "stg_to_networkx": "export",
    "graph_to_text": "export", "write_graph": "export", "write_stg": "export",
    "nodes_path": "export", "STG_EXTENSIONS": "export", "GRAPH_EXTENSIONS": "export",
    "plot_attractors": "plot.attractors", "plot_stg": "plot.stg",
    "plot_interaction_graph": "plot.graph", "plot_trajectory": "plot.trajectory",
    # control: minimal interventions that guarantee a target phenotype
    "control": "analysis.control", "ControlResult": "analysis.control",
    "ControlKind": "analysis.control", "Intervention": "analysis.control",
    "ConditionControl": "analysis.control", "drug_interventions": "analysis.control",
    # response graphs: start states (a state, A=1,B=0, a condition's attractor) and what
    # is reachable from them under another condition; the self-contained HTML report
    "initial_states": "analysis.response", "response_graph": "dynamics.response",
    "ResponseGraph": "dynamics.response", "CollapsedResponse": "dynamics.response",
    "response_layers": "analysis.response", "ResponseLayers": "dynamics.response",
    "plot_response": "plot.response",
    "build_report": "report", "write_report": "report", "Report": "report",
    # literature expectations
    "check_expectations": "analysis.expectations", "read_expectations": "analysis.expectations",
    "parse_expectations": "analysis.expectations", "Expectation": "analysis.expectations",
    "ExpectationError": "analysis.expectations", "ExpectationReport": "analysis.expectations",
    "ExpectationResult": "analysis.expectations",
    "expectation_path_for": "analysis.expectations",
    # expectation sensitivity: which rules hold each statement up
    "expectation_sensitivity": "analysis.sensitivity", "resting_values": "analysis.sensitivity",
    "SensitivityMode": "analysis.sensitivity", "SensitivityReport": "analysis.sensitivity",
    "StatementSensitivity": "analysis.sensitivity", "RuleDependency": "analysis.sensitivity",
    # lint
    "lint": "linter", "LintIssue": "linter",
    # prime implicants, trap spaces, fixed points
    "prime_implicants": "analysis.primes", "trap_spaces": "analysis.trap_spaces",
    "count_trap_spaces": "analysis.trap_spaces", "is_trap_space": "analysis.trap_spaces",
    "TrapSpaceResult": "analysis.trap_spaces",
    # stochastic simulation with rates (MaBoSS semantics)
    "stochastic": "analysis.stochastic", "StochasticResult": "analysis.stochastic",
    "StochasticMethod": "analysis.stochastic", "InitialCondition": "rates",
    "initial_condition": "analysis.stochastic", "attractor_initial": "analysis.stochastic",
    "Rates": "rates", "RateExpr": "rates", "parse_rate": "rates",
    "parse_rates": "rates", "read_rates": "io.rates",
    "parse_rate_option": "rates",
    "MaBoSSModel": "io.maboss", "parse_maboss": "io.maboss", "read_maboss": "io.maboss",
    "to_maboss": "io.maboss", "write_maboss": "io.maboss", "parse_bnd": "io.maboss",
    "to_bnd": "io.maboss",
    "check_graded": "analysis.graded", "parse_graded": "analysis.graded",
    "read_graded": "analysis.graded", "GradedStatement": "analysis.graded",
    "GradedKind": "analysis.graded", "GradedReport": "analysis.graded",
    "GradedResult": "analysis.graded",
    "plot_stochastic": "plot.stochastic", "plot_dose_response": "plot.stochastic",
    "fixed_points": "analysis.fixed_points", "count_fixed_points": "analysis.fixed_points",
    "FixedPointResult": "analysis.fixed_points",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    try:
        module = _API[name]
    except KeyError:
        raise AttributeError(f"module 'logicbone' has no attribute '{name}'") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
