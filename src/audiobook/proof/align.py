"""Edit distances: words with the alignment (what was substituted, inserted, deleted), and
characters without it (a bit-parallel count, fast on long sentences)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Op = Literal["ok", "sub", "ins", "del"]


@dataclass(frozen=True)
class Step:
    """One step of an alignment: ref and hyp are indexes into the two word lists (None
    where the step has no word on that side: "ins" has no ref, "del" no hyp)."""

    op: Op
    ref: int | None
    hyp: int | None


def align_words(ref: Sequence[str], hyp: Sequence[str]) -> list[Step]:
    """A minimal-cost alignment (Levenshtein: every edit costs 1) of ref (what was
    written) and hyp (what was heard), in order, in O(len(ref) * len(hyp)). Among the
    alignments with that fewest edits, the one whose substituted words are most alike
    (by their characters) wins, so "voix de synthèse" heard "voie de sa pelle" pairs
    "synthèse" with "sa" and inserts "pelle"; a substitution beats a deletion plus an
    insertion."""
    n, m = len(ref), len(hyp)
    # cost[i][j]: (edits, unlikeness) between ref[:i] and hyp[:j]; move[i][j]: the last
    # step of that alignment (0 diagonal, 1 deletion, 2 insertion)
    cost = [[(0, 0.0)] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(1, m + 1):
        cost[0][j], move[0][j] = (j, float(j)), 2
    unlike: dict[tuple[str, str], float] = {}
    for i in range(1, n + 1):
        row, above, moves = cost[i], cost[i - 1], move[i]
        row[0], moves[0] = (i, float(i)), 1
        r = ref[i - 1]
        for j in range(1, m + 1):
            h = hyp[j - 1]
            if r == h:
                diag = above[j - 1]
            else:
                u = unlike.get((r, h))
                if u is None:
                    u = unlike[(r, h)] = char_distance(r, h) / max(len(r), len(h))
                e, c = above[j - 1]
                diag = (e + 1, c + u)
            e, c = above[j]
            dele = (e + 1, c + 1.0)
            e, c = row[j - 1]
            ins = (e + 1, c + 1.0)
            if diag <= dele and diag <= ins:
                row[j] = diag
            elif dele <= ins:
                row[j], moves[j] = dele, 1
            else:
                row[j], moves[j] = ins, 2
    steps: list[Step] = []
    i, j = n, m
    while i or j:
        last = move[i][j]
        if last == 0:
            steps.append(Step("ok" if ref[i - 1] == hyp[j - 1] else "sub", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif last == 1:
            steps.append(Step("del", i - 1, None))
            i -= 1
        else:
            steps.append(Step("ins", None, j - 1))
            j -= 1
    steps.reverse()
    return steps


def char_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings (Myers/Hyyrö bit-vector algorithm: one
    pass over b with len(a)-bit integers)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    peq: dict[str, int] = {}
    for i, c in enumerate(a):
        peq[c] = peq.get(c, 0) | (1 << i)
    full = (1 << len(a)) - 1
    last = 1 << (len(a) - 1)
    pv, mv, score = full, 0, len(a)
    for c in b:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
    return score
