"""Exports: graphs to GraphML / GEXF / DOT / node-link JSON / SIF / CSV, and state-transition
graphs streamed to CSV or JSON lines; every file written through :mod:`logicbone.outputs`."""
from .columns import to_networkx as stg_to_networkx
from .graphs import (GRAPH_EXTENSIONS, GRAPH_FORMATS, graph_format_for_path, graph_to_text,
                     write_graph)
from .stg import STG_EXTENSIONS, STG_FORMATS, nodes_path, write_stg

__all__ = ["GRAPH_FORMATS", "GRAPH_EXTENSIONS", "graph_format_for_path", "graph_to_text",
           "write_graph", "STG_FORMATS", "STG_EXTENSIONS", "nodes_path", "write_stg",
           "stg_to_networkx"]
