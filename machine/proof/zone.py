"""Zones: sets of integer instants given by bounds on their differences (a difference-bound
matrix), the symbolic time of the verifier.

An order's recorded instants and the current instant are variables; entry (i, j) bounds
x_i - x_j from above, in steps of the verifier's clock. Comparing two instants either
follows from the zone or splits it in two, so one zone stands for every day on which the
world could have made the same choices. Time is discrete (whole steps), so a strict bound
is the non-strict one a step lower.
"""

from __future__ import annotations

from operator import ge

INF = 1 << 60
NOW = 0  # the current instant is always variable 0


class Zone:
    """A canonical difference-bound matrix over `size` instants (x_0 is now)."""

    __slots__ = ("bounds", "size")

    def __init__(self, size: int, bounds: list[int] | None = None) -> None:
        self.size = size
        self.bounds = bounds if bounds is not None else [0] * (size * size)

    def copy(self) -> Zone:
        return Zone(self.size, self.bounds.copy())

    def upper(self, i: int, j: int) -> int:
        """The largest x_i - x_j in the zone (INF: unbounded)."""
        return self.bounds[i * self.size + j]

    def implies(self, i: int, j: int, c: int) -> bool:
        """Whether x_i - x_j <= c holds everywhere in the zone."""
        return self.bounds[i * self.size + j] <= c

    def excludes(self, i: int, j: int, c: int) -> bool:
        """Whether x_i - x_j <= c holds nowhere in the zone."""
        below = self.bounds[j * self.size + i]
        return below < INF and c + below < 0

    def constrain(self, i: int, j: int, c: int) -> bool:
        """Keep the part where x_i - x_j <= c, closed again; False if nothing is left."""
        n, d = self.size, self.bounds
        if d[i * n + j] <= c:
            return True
        back = d[j * n + i]
        if back < INF and c + back < 0:
            return False
        d[i * n + j] = c
        for a in range(n):
            to_i = d[a * n + i]
            if to_i >= INF:
                continue
            row = a * n
            for b in range(n):
                from_j = d[j * n + b]
                if from_j >= INF:
                    continue
                via = to_i + c + from_j
                if via < d[row + b]:
                    d[row + b] = via
        return True

    def let_time_pass(self) -> None:
        """Now may move forward by any amount (its upper bounds over the others go)."""
        n, d = self.size, self.bounds
        for j in range(1, n):
            d[j] = INF  # row 0: x_now - x_j

    def add_copy_of(self, source: int) -> int:
        """A new instant equal to instant `source` (recording the moment an event happened)."""
        n, d = self.size, self.bounds
        m = n + 1
        grown = [0] * (m * m)
        for a in range(n):
            grown[a * m : a * m + n] = d[a * n : a * n + n]
            grown[a * m + n] = d[a * n + source]
            grown[n * m + a] = d[source * n + a]
        self.size, self.bounds = m, grown
        return n

    def project(self, keep: list[int], ceilings: list[int]) -> Zone:
        """The zone over the instants `keep` (in that order), with what lies beyond each
        instant's ceiling forgotten, closed again.

        `ceilings[a]` is the largest number of steps anything compares instant `keep[a]`
        with (0 for now): the age of an instant older than its ceiling, or a gap between
        two instants beyond it, changes no answer (the extrapolation of timed automata,
        per clock; with comparisons between two recorded instants it may add
        configurations, never lose one)."""
        n, d = self.size, self.bounds
        m = len(keep)
        out = [0] * (m * m)
        widened = []
        for a, i in enumerate(keep):
            row = i * n
            low = -ceilings[a]
            for b, j in enumerate(keep):
                value = d[row + j]
                if a != b:
                    if value > ceilings[b]:
                        if value < INF:
                            widened.append(a * m + b)
                        value = INF
                    elif value < low:
                        value = low - 1
                        widened.append(a * m + b)
                out[a * m + b] = value
        zone = Zone(m, out)
        if widened:
            zone.retighten(widened)
        return zone

    def retighten(self, loosened: list[int]) -> None:
        """Close the zone again after the entries `loosened` were widened: no other entry
        can change (every path was at least as long before), and a widened one becomes
        its shortest path, found by relaxing until nothing moves."""
        n, d = self.size, self.bounds
        moved = True
        while moved:
            moved = False
            for entry in loosened:
                a, b = divmod(entry, n)
                best = d[entry]
                row = a * n
                for k in range(n):
                    left, right = d[row + k], d[k * n + b]
                    if left < INF and right < INF and left + right < best:
                        best = left + right
                if best < d[entry]:
                    d[entry] = best
                    moved = True

    def forget_between(self, var: int, partners: list[int]) -> None:
        """Keep of instant `var` only its bounds against `partners` and what follows from
        them (the rest of a closed zone is closed already: no path through `var` was
        shorter than the bounds it leaves)."""
        n, d = self.size, self.bounds
        for other in range(n):
            if other == var or other in partners:
                continue
            out = back = INF
            for p in partners:
                to_p, from_p = d[var * n + p], d[p * n + var]
                if to_p < INF and d[p * n + other] < INF:
                    out = min(out, to_p + d[p * n + other])
                if from_p < INF and d[other * n + p] < INF:
                    back = min(back, d[other * n + p] + from_p)
            d[var * n + other], d[other * n + var] = out, back

    def close(self) -> None:
        """Tighten every bound to the shortest path (Floyd-Warshall)."""
        n, d = self.size, self.bounds
        for k in range(n):
            for a in range(n):
                to_k = d[a * n + k]
                if to_k >= INF:
                    continue
                for b in range(n):
                    from_k = d[k * n + b]
                    if from_k < INF and to_k + from_k < d[a * n + b]:
                        d[a * n + b] = to_k + from_k

    def includes(self, other: Zone) -> bool:
        """Whether every instant of `other` (over the same variables) is in this zone."""
        return all(map(ge, self.bounds, other.bounds))
