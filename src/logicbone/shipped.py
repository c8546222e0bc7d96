"""The curated bone-muscle models that come with the package, reachable by name.

The repository keeps them in ``models/`` at its top level (the one source); an installed wheel
carries the same files as package data in ``logicbone/_models/``. Each model is a ``.rules``
file with its companions beside it (``<name>.scenarios.yaml``, ``<name>.expectations.yaml``),
so everything that finds a companion next to a model path finds it for a shipped model too.

Examples
--------
>>> import logicbone as lb
>>> "bone_muscle" in lb.models.names()
True
>>> lb.models.path("bone").name
'bone.rules'
>>> len(lb.models.load("muscle_fibre").names) > 10
True
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from .network import Network
    from .scenarios import Scenario

__all__ = ["ShippedModels", "UnknownModelError", "models"]

#: the extension of a shipped model's rule file
SUFFIX = ".rules"


class UnknownModelError(InputError):
    """A name that is neither a file nor a shipped model."""


def _locate() -> Path:
    """The folder of the shipped models: package data when installed, else the repository's."""
    here = Path(__file__).resolve().parent
    installed = here / "_models"
    if installed.is_dir():
        return installed
    # an editable install or a source checkout: src/logicbone/ -> the repository's models/
    return here.parent.parent / "models"


class ShippedModels:
    """The shipped models by name (``bone``, ``bone_muscle``, ``muscle_fibre``).

    One instance, ``logicbone.models``, is the public face: ``names()``, ``path(name)``,
    ``load(name)``, ``scenarios(name)``, ``expectations_path(name)``, ``is_name(text)``.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        """The folder that holds the model files."""
        if self._folder is None:
            self._folder = _locate()
        return self._folder

    def names(self) -> list[str]:
        """The shipped models' names, sorted.

        Returns
        -------
        list of str
        """
        if not self.folder.is_dir():
            return []
        return sorted(p.name[: -len(SUFFIX)] for p in self.folder.glob(f"*{SUFFIX}"))

    def is_name(self, text: str) -> bool:
        """Whether ``text`` names a shipped model (``bone`` or ``bone.rules``)."""
        stem = text[: -len(SUFFIX)] if text.endswith(SUFFIX) else text
        return "/" not in text and "\\" not in text and stem in self.names()

    def path(self, name: str) -> Path:
        """The rule file of the shipped model ``name`` (``bone_muscle`` or ``bone_muscle.rules``).

        Raises
        ------
        UnknownModelError
            When no shipped model has that name (the message lists the shipped ones).
        """
        if not self.is_name(name):
            raise UnknownModelError(
                f"{name}: no such file and no shipped model of that name "
                f"(shipped: {', '.join(self.names()) or 'none'})")
        stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name
        return self.folder / f"{stem}{SUFFIX}"

    def resolve(self, model: str | Path) -> Path:
        """A model argument as a path: an existing file as it is, else a shipped model's file.

        A missing file that looks like a path (a folder in it or an extension other than
        ``.rules``) is returned unchanged, so that reading it reports the missing file.

        Raises
        ------
        UnknownModelError
            For a bare name that is neither a file nor a shipped model.
        """
        text = str(model)
        candidate = Path(text)
        if candidate.exists() or not text:
            return candidate
        if self.is_name(text):
            return self.path(text)
        if "/" in text or "\\" in text or (candidate.suffix and candidate.suffix != SUFFIX):
            return candidate
        return self.path(text)  # raises, listing the shipped models

    def load(self, name: str) -> "Network":
        """The shipped model ``name`` as a :class:`~logicbone.Network`."""
        from .io import read_network

        return read_network(self.path(name))

    def scenarios(self, name: str) -> dict[str, Scenario]:
        """The named scenarios of the shipped model ``name`` (see :func:`read_scenarios`)."""
        from .scenarios import read_scenarios, scenario_path_for

        return read_scenarios(scenario_path_for(self.path(name)))

    def expectations_path(self, name: str) -> Path:
        """The literature expectation file of the shipped model ``name``."""
        from .analysis.expectations import expectation_path_for

        return expectation_path_for(self.path(name))

    def __repr__(self) -> str:
        return f"<shipped models: {', '.join(self.names())}>"


#: the shipped models
models = ShippedModels()
