"""YAML loading with a bound on alias expansion ("billion laughs").

Why: YAML anchors and aliases let 664 bytes stand for a billion values. PyYAML shares the aliased
objects, so loading is cheap — but everything that then walks the data (validation, placeholder
search, ``docno_exempt`` sets) pays for the expanded size: ``zwgk validate`` ran past 120 s at
2.5 GB. Files zwgk reads (columns.yaml, calendar files) are small and hand-written, so a document
whose expanded size (every alias counted each time it is used) exceeds ``MAX_EXPANDED_NODES`` is
refused before it is constructed. An alias-free document is never refused for size here: its
expanded size is its own node count.
"""
from __future__ import annotations

from typing import Any

import yaml

# A 500-item catalog is ~15,000 nodes; a bound 60× that leaves room for any real file.
MAX_EXPANDED_NODES = 1_000_000


class AliasBombError(yaml.YAMLError):
    """The document expands (through aliases) beyond MAX_EXPANDED_NODES values."""

    def __init__(self, problem: str, problem_mark: Any = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = problem_mark


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def expanded_size(root: yaml.Node, limit: int = MAX_EXPANDED_NODES) -> int:
    """Number of values ``root`` stands for with every alias expanded; stops counting (and
    returns a number > ``limit``) as soon as the bound is passed. Linear in the distinct nodes;
    a recursive alias counts once."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in _children(node))
            if sizes[key] > limit:
                return sizes[key]
            continue
        if key in sizes or key in on_path:
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


class BoundedAliases:
    """Mixin for a PyYAML Loader: refuse a document whose aliases expand it past the bound."""

    max_expanded_nodes = MAX_EXPANDED_NODES

    def construct_document(self, node: yaml.Node) -> Any:
        size = expanded_size(node, self.max_expanded_nodes)
        if size > self.max_expanded_nodes:
            raise AliasBombError(f"aliases expand the document to more than "
                                 f"{self.max_expanded_nodes:,} values (a YAML alias bomb?); "
                                 "write the values out instead of repeating aliases",
                                 node.start_mark)
        return super().construct_document(node)  # type: ignore[misc]


__all__ = ["AliasBombError", "BoundedAliases", "expanded_size", "MAX_EXPANDED_NODES"]
