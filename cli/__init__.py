"""The ``logicbone`` command line: a thin click layer over ``import logicbone``."""
