"""YAML data files (scenarios, expectations) read so that every complaint has a place.

:func:`load_yaml` differs from ``yaml.safe_load`` in three ways:

* mappings and lists remember where they and their entries start: :func:`where` gives
  ``path:line:col`` of a mapping, a key or a value, so that an error about a value of the
  wrong type points at it;
* only ``true`` and ``false`` are booleans (as in YAML 1.2): ``on``, ``off``, ``yes`` and
  ``no`` stay text, so a node or scenario named ``ON`` or ``no`` keeps its name (values
  ``on``/``off`` are read as ON/OFF by the files that accept them);
* a key given twice, a syntax error, text that is not YAML at all, or nesting too deep for
  the parser is an error of the caller's class located at ``path:line:col``.

Examples
--------
>>> data = load_yaml("a:\\n  on: 1\\n  B: [x, 2]\\n", "s.yaml")
>>> data["a"]
{'on': 1, 'B': ['x', 2]}
>>> where(data["a"], "B"), where(data["a"], "B", key=True)
('s.yaml:3:6', 's.yaml:3:3')
>>> load_yaml("a: 1\\na: 2\\n", "s.yaml")
Traceback (most recent call last):
...
logicbone.errors.InputError: s.yaml:2:1: key 'a' given twice (first on line 1)
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import InputError

__all__ = ["load_yaml", "where", "YAMLMap", "YAMLList"]

#: nesting deeper than this is refused before the parser recurses on it
MAX_DEPTH = 200


class YAMLMap(dict):
    """A mapping read from YAML with the places of its keys and values."""

    path: str = "<yaml>"
    mark: tuple[int, int] = (1, 1)
    key_marks: dict[Any, tuple[int, int]]
    value_marks: dict[Any, tuple[int, int]]


class YAMLList(list):
    """A list read from YAML with the places of its items."""

    path: str = "<yaml>"
    mark: tuple[int, int] = (1, 1)
    item_marks: list[tuple[int, int]]


def where(obj: Any, item: Any = None, *, key: bool = False,
          path: str | None = None) -> str:
    """``path:line:col`` of ``obj`` (a :class:`YAMLMap` or :class:`YAMLList`), of its entry
    ``item`` (the value; ``key=True``: the key) when given; the start of the document
    (``path:1:1``) for other objects."""
    here = getattr(obj, "path", None) or path or "<yaml>"
    mark: tuple[int, int] | None = getattr(obj, "mark", None)
    if item is not None:
        if isinstance(obj, YAMLMap):
            marks = obj.key_marks if key else obj.value_marks
            mark = marks.get(item, mark)
        elif isinstance(obj, YAMLList) and isinstance(item, int) and \
                0 <= item < len(obj.item_marks):
            mark = obj.item_marks[item]
    if mark is None:  # a scalar document: its start
        mark = (1, 1)
    return f"{here}:{mark[0]}:{mark[1]}"


def _loader(path: str, error: type[InputError]) -> Any:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # YAML 1.2 booleans: true/false only
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()}
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"))

    def at(node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def mapping(loader: Any, node: Any) -> Iterator[YAMLMap]:
        out = YAMLMap()
        out.path, out.mark, out.key_marks, out.value_marks = path, at(node), {}, {}
        yield out
        first: dict[str, Any] = {}
        for knode, _ in node.value:  # the mapping's own keys, before merges (<<)
            if isinstance(knode, yaml.ScalarNode) and knode.tag != "tag:yaml.org,2002:merge":
                if knode.value in first:
                    line, col = at(knode)
                    raise error(f"{path}:{line}:{col}: key '{knode.value}' given twice "
                                f"(first on line {at(first[knode.value])[0]})")
                first[knode.value] = knode
        loader.flatten_mapping(node)
        for knode, vnode in node.value:
            k = loader.construct_object(knode, deep=True)
            try:
                hash(k)
            except TypeError:
                raise error(f"{path}:{at(knode)[0]}:{at(knode)[1]}: a key must be a name, "
                            "not a list or mapping") from None
            out[k] = loader.construct_object(vnode, deep=True)
            out.key_marks[k], out.value_marks[k] = at(knode), at(vnode)

    def sequence(loader: Any, node: Any) -> Iterator[YAMLList]:
        out = YAMLList()
        out.path, out.mark = path, at(node)
        out.item_marks = [at(n) for n in node.value]
        yield out
        out.extend(loader.construct_object(n, deep=True) for n in node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    Loader.add_constructor("tag:yaml.org,2002:seq", sequence)
    return Loader


def _depth(text: str) -> int:
    """A cheap upper bound of the nesting of flow collections and indentation."""
    deepest = level = 0
    for ch in text:
        if ch in "[{":
            level += 1
            deepest = max(deepest, level)
        elif ch in "]}":
            level = max(0, level - 1)
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return max(deepest, indent // 2)


def load_yaml(text: str, path: str | None = None, *,
              error: type[InputError] = InputError) -> Any:
    """The data of a YAML text, mappings as :class:`YAMLMap` and lists as :class:`YAMLList`.

    Raises
    ------
    InputError (or ``error``)
        ``path:line:col: not valid YAML: what``, a key given twice, nesting too deep.
    """
    import yaml

    here = path or "<yaml>"
    if _depth(text) > MAX_DEPTH:
        raise error(f"{here}: nested more than {MAX_DEPTH} levels deep; not read")
    loader = None
    try:
        loader = _loader(here, error)(text)
        return loader.get_single_data()
    except (ValueError, OverflowError) as err:  # PyYAML's own slips (an escape out of range)
        if loader is None:
            raise error(f"{here}: not valid YAML: {' '.join(str(err).split())}") from None
        mark = loader.get_mark()
        raise error(f"{here}:{mark.line + 1}:{mark.column + 1}: not valid YAML: "
                    f"{' '.join(str(err).split())}") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        loc = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = err.problem or err.context or "malformed"
        raise error(f"{here}{loc}: not valid YAML: {' '.join(str(problem).split())}") from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        ch = chr(err.character) if isinstance(err.character, int) else str(err.character)
        raise error(f"{here}:{line}:{col}: not valid YAML: character {ch!r} is not "
                    "allowed") from None
    except yaml.YAMLError as err:
        raise error(f"{here}: not valid YAML: {' '.join(str(err).split())}") from None
    except RecursionError:
        raise error(f"{here}: nested too deeply to be read") from None
    finally:
        if loader is not None:
            loader.dispose()
