"""The kinds of import, one module per family; KINDS maps the kind name to its spec.

Which kinds exist is declared by the apps (`import_kinds` on each AppConfig, see `civicloop.core.registry`):
this app's own six (imports/apps.py) and any other app's, from its own package. KINDS is built on first use,
after the apps are ready, so importing this package imports no kind module (and no other app).

`kind_choices()` lists (kind, label) for the page and the API, in registration order.
"""

from collections.abc import Iterator, Mapping
from functools import cached_property

from civicloop.core import registry


class _Kinds(Mapping):
    @cached_property
    def _specs(self) -> dict:
        return {spec.kind: spec for spec in registry.import_kinds()}

    def __getitem__(self, kind):
        return self._specs[kind]

    def __iter__(self) -> Iterator:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


KINDS: Mapping = _Kinds()


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, spec.label) for kind, spec in KINDS.items()]
