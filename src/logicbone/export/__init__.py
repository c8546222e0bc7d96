"""Exports: graphs to GraphML / GEXF / DOT / node-link JSON / SIF / CSV, and state-transition
graphs streamed to CSV or JSON lines; every file written atomically."""
from .columns import to_networkx as stg_to_networkx
from .files import atomic_open, refuse_existing, save_figure
from .graphs import GRAPH_FORMATS, graph_format_for_path, graph_to_text, write_graph
from .stg import STG_FORMATS, nodes_path, write_stg

__all__ = ["atomic_open", "refuse_existing", "save_figure", "GRAPH_FORMATS",
           "graph_format_for_path", "graph_to_text", "write_graph", "STG_FORMATS", "nodes_path",
           "write_stg", "stg_to_networkx"]
