"""One way to walk the document model, as docutils' NodeVisitor: `visit_<node type>` methods.

Every walker of the model (the writers, the glyph check, the tests' completeness helper)
dispatches through `dispatch_visit`; a node type a walker has no method for reaches
`unknown_visit`, which raises, so a new node type is never skipped silently.
"""

from __future__ import annotations

from typing import Any


class Visitor:
    """Calls `visit_<lower-case class name>(node)` for each node it is given."""

    def dispatch_visit(self, node: object) -> Any:
        method = getattr(self, f"visit_{type(node).__name__.lower()}", None)
        if method is None:
            return self.unknown_visit(node)
        return method(node)

    visit = dispatch_visit  # the short name the walkers use

    walker = ""
    """What the walker is called in the error about a node it cannot visit (else its class)."""

    def unknown_visit(self, node: object) -> Any:
        name = self.walker or type(self).__name__
        raise NotImplementedError(f"{name} has no visit for {type(node).__name__}")
