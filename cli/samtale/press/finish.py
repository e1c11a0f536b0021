"""What WeasyPrint leaves undone for PDF/UA-1: the running footer marked as a pagination artifact.

WeasyPrint 70 tags the text of page margin boxes (our footer) with marked-content ids
whose structure elements hang outside the structure tree, so a screen reader meets
text that belongs to no element (Matterhorn 01-005). Here each such sequence becomes
`/Artifact <</Type /Pagination>>`, and its entry in the parent tree is cleared. The
content streams are edited as bytes (only the marked-content operator changes), so
this costs milliseconds and keeps the output byte-identical for the same input.
"""

from __future__ import annotations

import io
import re
from typing import Any

_ARTIFACT = b"/Artifact\n<</Type /Pagination>>\nBDC"


def footers_as_artifacts(data: bytes) -> bytes:
    """The PDF with every marked-content sequence that no element of the structure tree claims made an artifact."""
    import pikepdf  # lazy: only a render finishes a PDF

    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None or "/ParentTree" not in tree:
            return data
        reachable = _elements(tree)
        parents = _parent_tree(tree.ParentTree)
        changed = False
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            entries = parents.get(int(key)) if key is not None else None
            if entries is None:
                continue
            orphans = [mcid for mcid, element in enumerate(entries)
                       if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable]
            if not orphans:
                continue
            _mark_as_artifacts(pdf, page, set(orphans))
            for mcid in orphans:
                entries[mcid] = None
            changed = True
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def _elements(tree: Any) -> set[tuple[int, int]]:
    """The structure elements reachable from the root, by object id."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    todo = [tree.get("/K")]
    while todo:
        kid = todo.pop()
        if isinstance(kid, pikepdf.Array):
            todo.extend(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR" and kid.get("/Type") != "/OBJR":
            if kid.objgen != (0, 0):
                if kid.objgen in seen:
                    continue
                seen.add(kid.objgen)
            todo.append(kid.get("/K"))
    return seen


def _parent_tree(node: Any) -> dict[int, Any]:
    """The parent tree's entries (a number tree) by key."""
    found: dict[int, Any] = {}
    todo = [node]
    while todo:
        here = todo.pop()
        nums = here.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                found[int(nums[i])] = nums[i + 1]
        todo.extend(here.get("/Kids") or [])
    return found


def _mark_as_artifacts(pdf: Any, page: Any, orphans: set[int]) -> None:
    import pikepdf

    def replace(match: re.Match[bytes]) -> bytes:
        return _ARTIFACT if int(match.group(1)) in orphans else match.group(0)

    pattern = re.compile(rb"/\w+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for stream in streams:
        stream.write(pattern.sub(replace, stream.read_bytes()))  # compressed again when saved
