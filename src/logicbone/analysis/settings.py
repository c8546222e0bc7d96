"""Tuning of the engines: one documented settings object.

Examples
--------
>>> import logicbone as lb
>>> lb.EngineSettings(explicit_max_nodes=12).explicit_max_nodes
12
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EngineSettings", "DEFAULT"]


@dataclass(frozen=True)
class EngineSettings:
    """Tuning of the engines: fixed points, trap spaces, and the asynchronous attractor
    search (listing and counting share it).

    None of these changes an answer, only how it is found and how fast (and, for the
    time shares, how a time limit is spent). Every engine takes one as ``settings=``
    (default :data:`DEFAULT`); the defaults were measured on the corpus.

    Examples
    --------
    >>> EngineSettings().small_space
    12
    >>> EngineSettings(walks=512).walks
    512
    """

    explicit_max_nodes: int = 20
    """Fixed points: independent parts of at most this many nodes (after percolation) are
    scanned explicitly with ``method="auto"``; larger ones go to the ASP solver."""

    bdd_max_nodes: int = 2_000_000
    """Counting fixed points with ``method="auto"``: the BDD over a feedback vertex set is
    given up (for the ASP count) when its manager grows past this many nodes."""

    bdd_max_memory: int = 1 << 30
    """Counting fixed points with ``method="auto"``: memory ceiling (bytes) of that BDD."""

    bdd_count_seconds: float = 60.0
    """Counting fixed points with ``method="auto"`` and no time limit: seconds given to
    that BDD before the ASP count takes over (with a time limit: half the time left)."""

    bdd_counter_seconds: float = 2.0
    """The same where an exact model counter is installed (``pyganak``): the BDD, quicker
    on most parts, is given up for the counter after this many seconds (bbm/261 with
    inputs free: its BDD grows past the limit in 30 s; the counter takes 3 s)."""

    bound_bdd_seconds: float = 0.5
    """Bounding a count of attractors cut short: the BDD of fixed points (a lower bound)
    and of candidate states (an upper bound) is given up for the model counter after
    this many seconds, where the counter is installed (the bounds have a few seconds;
    bbm/243 with inputs free: 3.9 x 10^67 fixed points counted in 4 s by the counter)."""

    solver_share: float = 0.8
    """Share of a time limit given to the solver; the rest completes and sorts the list."""

    witness_seconds: float = 1.0
    """After a search stopped early (time, interrupt), seconds given to find one answer of
    each independent part not yet solved, so that the partial product is still made of
    answers."""

    split_spaces: int = 1024
    """Minimal trap spaces: a part with inputs whose solver run finds more than this many is
    split on an input instead, where that cuts it into parts, each value percolated and
    split into parts (0: never). On the 53 corpus models with inputs free and 512 to
    60,594 of them: 45 s in all, against 64 s without splits and 47 s from 256."""

    piece_spaces: int = 32768
    """Minimal trap spaces: where one solver run finds more than this many, the list is
    made again in pieces, on the sides of maximal trap spaces (0: never): the nogood the
    solver keeps per answer slows it as they pile up. Below about 10^5 the pieces gain
    little and each costs a solver of its own (bbm/041 with inputs free, 10,128 of them,
    split from 8,192: 1.2 s in 64 pieces against 0.6 s; bbm/093's 41,240 from 32,768:
    2.0 s either way)."""

    jobs: int = 1
    """Processes sharing the work that splits into independent runs: the pieces of a list
    of minimal trap spaces (``piece_spaces``), and in a listing of asynchronous attractors
    the search outside the minimal trap spaces (beside the searches inside them and the
    count), the solver's listing of candidate states (beside the sweeps of their BDD,
    where the search stays in this process) and random walks from many states. Above
    one, copies of this process are forked for them (on Linux; elsewhere all run here);
    the answer and its order do not depend on it."""

    piece_splits: int = 6
    """The most maximal trap spaces such a list is split on: up to 2^6 pieces (bbm/004
    under the seed-4 condition, 547,288 minimal trap spaces beside two other processes:
    95 s in one run, 37 s in 16 pieces, 36 s in 64, 30 s in 256)."""

    max_listed_product: int = 1_000_000
    """Most fixed points or minimal trap spaces listed from a product of independent parts
    when no limit is given: with a time limit the list stops there (partial), without one a
    request for more is refused (count them instead). A million strings of 200 nodes are
    200 MB of output (bbm/144 under a condition has 2.5 * 10^9 fixed points)."""

    small_space: int = 12
    """Trap spaces where at most this many nodes can change are searched in the network's
    own BDD manager; larger ones get a manager of their own with the space's values
    percolated, and the search starts from their candidate states."""

    max_searched: int = 2000
    """Above this many candidate states left after the random walks, the attractors outside
    the minimal trap spaces are found by backward reachability from the trap spaces instead
    of one forward search from the candidates."""

    direct_candidates: int = 64
    """Listing asynchronous attractors: up to this many candidate states are searched
    from directly on the BDD (one backward search from the minimal trap spaces settles
    those that reach one), without random walks; and up to this many left after the
    walks are searched from one by one, each until it meets an attractor."""

    check_seconds: float = 4.0
    """Listing asynchronous attractors when there are more minimal trap spaces than
    ``max_avoided``: once their attractors are found, the attractors are counted
    (:func:`~logicbone.analysis.attractor_count.count_attractors`, its parts apart) for at
    most this many seconds and a quarter of the time left; a count equal to those found
    proves there are no others, and the search outside the trap spaces is skipped. On the
    corpus the counts that succeed take 0.1-1.5 s (bbm/016, 111: 16,384 and 32,768
    attractors in 0.1-0.2 s; bbm/244 and 255 with inputs free, 543,360 and 8,192, in
    1.2-1.5 s: cut at 1 s, their listings took 2.5 and 2.2 times as long); one that
    cannot (bbm/004 under a condition) took the whole 10 s that this once was."""

    whole_spaces: int = 0
    """Counting: the most minimal trap spaces with free nodes of a part without inputs
    counted whole (they are listed, and none is shown to lie outside them); with more,
    the count gives up (:class:`~logicbone.analysis.attractor_count.CountGivenUp`); 0: no
    limit. The check above sets it to ``max_avoided``: a count that must list more of a
    part's spaces than the solver can skip makes the proof it would stand in for (bbm/004
    under a condition, one part of 175 nodes: the check gave up after 3.5 s; now at
    once)."""

    listing_share: float = 0.4
    """Listing asynchronous attractors under a time limit: share of the time left given
    to listing the candidate states outside the minimal trap spaces; when that is not
    enough, backward reachability from the trap spaces decides instead."""

    race_seconds: float = 1.0
    """A large trap space is first searched for this many seconds under the initial
    variable order not in favour, then under the one in favour (0: never); the order
    that finishes is in favour for the next space."""

    max_avoided: int = 2000
    """Listing the candidate states outside up to this many minimal trap spaces, the
    solver is told to skip those inside (one constraint per trap space); above it, they
    are listed all and filtered."""

    pinned_spaces: int = 256
    """Listing asynchronous attractors: the few candidate states outside up to this many
    minimal trap spaces are walked at once in plain Python, whether a walk entered a
    space read off the walks' bit planes; above it, over arrays (:func:`unsettled`)."""

    plain_walks: int = 8
    plain_sweeps: int = 64
    """Up to ``plain_walks`` candidate states are first walked one by one in plain Python
    for up to ``plain_sweeps`` sweeps (no numpy to load where a few settle at once); the
    rest go to the walks over arrays. A large minimal trap space with at most
    ``plain_walks`` candidate states has them narrowed down by coupled walks (in plain
    Python) before any search (0: never)."""

    fewer_seconds: float = 1.0
    """Most seconds spent choosing the retained values that leave fewer candidate states in
    a minimal trap space (:meth:`~logicbone.analysis.symbolic.AsyncSTG.fewer_candidates`):
    on the corpus the choices that pay take under half a second (bbm/075: 480 candidates to
    6); one that does not took 4.7 s (bbm/251: 384 to 284), four others under a condition
    of bbm/079 18 s in all (72-156 candidates, none down to 8)."""

    max_walks: int = 400_000
    """Up to this many candidate states are first walked at random (a walk that reaches a
    minimal trap space settles its start)."""

    max_candidates_listed: int = 200_000
    """Listing: the solver lists the candidate states outside the minimal trap spaces up
    to this many (and four more per minimal trap space where there are too many of them
    to skip, ``max_avoided``); past it, their BDD is swept instead, which gets through
    more states in the time (bbm/079 under the condition of ``benchmarks/run.py --seed
    4``: 370,402 listed in 12.5 s, where the BDD's route answers in 3 s)."""

    max_listed: int = 200_000
    """Counting: most candidate states listed (outside the minimal trap spaces); above it,
    backward reachability decides."""

    candidate_seconds: float = 6.0
    """The candidate states outside the minimal trap spaces, as one BDD to sweep, are built
    from one variable order for this long, then from the next as long, then from each for
    twice as long, and so on, each taken up where it stopped
    (:func:`~logicbone.analysis._async_pipeline.swept_candidates`): with reordering on,
    their time swings tenfold with the order they start from."""

    candidates_nearly: float = 0.75
    """A try of one variable order (``candidate_seconds``) stopped with at least this
    share of the conditions conjoined goes on for half its time more before the next
    order's try (1: never)."""

    sweep_nodes: int = 1_000_000
    sweep_target: int = 64
    stagnant_sweeps: int = 20
    """With too many candidate states outside the minimal trap spaces to list, their BDD
    (given up past ``sweep_nodes`` nodes) is moved forward by sweeps, all at once: in each,
    every node in a random order takes the value of its rule, so each state follows one
    asynchronous path (:meth:`~logicbone.analysis.symbolic.AsyncSTG.swept`), and those
    that enter a minimal trap space leave. Once at most ``sweep_target`` are left, or
    ``stagnant_sweeps`` sweeps in a row drop none with at most ``max_walks`` left, they
    are listed and walked; otherwise backward reachability decides (bbm/079 under a
    condition: 3.65 million candidates to 1,632 in six sweeps and 64 in a few more; backward
    reachability took 50-110 s. bbm/004: 85 million to 88, of which walks leave one; from
    1,784 walks took 50 s and left 60)."""

    eliminate: bool = True
    """The sweeps above, and the candidate states they start from, run on the network
    with the nodes whose rules are small and read not themselves written into their
    targets (:mod:`~logicbone.analysis.reduction`): what reaches the minimal trap spaces
    there reaches them in the network, and the states left are lifted back (bbm/004
    under a condition: 88 of 185 nodes eliminated; the candidates built in 0.4 s instead
    of 21 s and swept to 18 states in 5.5 s instead of 303,000 in 52 s)."""

    sweep_first_seconds: float = 2.0
    sweep_first_nodes: int = 64
    """Listing asynchronous attractors in one process, with ``eliminate``, outside more
    than ``max_avoided`` minimal trap spaces (the solver cannot skip the candidate states
    inside them) in a network of at least ``sweep_first_nodes`` free nodes: the candidate
    states outside the spaces are swept as above first where their BDD is built within
    ``sweep_first_seconds``, before the solver is asked to list them (it gave up on
    bbm/004's 10^9 after 2.4-5.4 s; 0 seconds: listed first). Where it can skip them, it
    lists a few hundred in hundredths of a second, and goes first."""

    cheap_sweeps: float = 0.5
    """With more than ``max_walks`` states left, the sweeps above stop once the last
    ``stagnant_sweeps`` of them have not halved the states left and took more than this
    many seconds and more than a quarter of the time of all the sweeps; cheaper ones go on
    (a small BDD can stand still for a dozen sweeps, then empty in a few)."""

    walk_seconds: float = 1.2e-5
    """Listing: the seconds per state the random walks are reckoned to take over the
    states the sweeps above leave, read off their BDD included. Once at most
    ``max_walks`` are left, the sweeps stop when the last one took longer than the walks
    would on them all, and longer than ``walk_floor`` (bbm/004 under the condition of
    ``benchmarks/run.py --seed 0``: 377,736 states read in 2.3 s and walked in 2.8 s
    after sweeps of 3-4 s each, where the sweeps down to 53,348 states took 15 s more;
    ``walk_seconds`` 0: never). The states the walks leave are
    swept on. The floor keeps cheap sweeps going: a few states settle last and keep
    walks going for thousands of sweeps, and a search from each may take many seconds
    (under seed 5: 3,358 states handed over after a sweep of 0.4 s, 0 to 9 left by the
    walks depending on their order; the searches from 9 took 122 s)."""

    walk_floor: float = 1.0
    """Listing: the sweeps hand their states over to the walks (``walk_seconds``) only
    after a sweep that took longer than this many seconds."""

    stagnant: int = 100
    """Random sweeps give up after this many sweeps settle no walk."""

    walks: int = 2048
    """Walks still going after a stagnant stretch are copied up to this many in all."""

    swept_seconds: float = 30.0
    swept_share: float = 0.65
    swept_build_seconds: float = 8.0
    swept_build_share: float = 0.25
    """Counting: seconds given to the candidate states of a part with inputs, swept forward
    all at once, to reach fixed points (all but ``max_rest_seeds``) before the part is
    split on an input (at most ``swept_share`` of the time left), and the most of them
    their BDD may take to build (at most ``swept_build_share`` of the time left). bbm/144's
    part of 152 nodes with 43 inputs: built in 1.3 s, none left after 1.5 s of sweeps;
    bbm/239's part of 184 nodes with 53 inputs: built in 4 s, fixed points among them in
    1.6 s, none left after 11 s of sweeps (the count of the part is its 7.7 x 10^20 fixed
    points; split on its inputs it was not counted in 40 s); bbm/242's part of 234 nodes
    was not built in 48 s. 0: never."""

    explicit_part: int = 10
    """Counting: parts of at most this many nodes are counted explicitly."""

    split_above: int = 0
    """Counting: a part with inputs (and a negative cycle) is counted as the sum over the
    two values of one input, unless it has at most this many minimal trap spaces (0: always
    split)."""

    max_seeds: int = 64
    """Counting: a part with at most this many candidate states is counted by the search
    from each of them on its BDD (no trap spaces, no solver)."""

    max_rest_seeds: int = 1000
    """Counting: the same, for each network left below the fixed points of an upstream part
    (counted on the BDDs it was percolated on; otherwise it is built as a network)."""

    max_seed_nodes: int = 20_000
    """Counting: the search from candidate states is given up when their BDD grows past
    this many nodes while it is built."""

    reduce_seconds: float = 1.0
    """A large minimal trap space whose search has not finished in this many seconds has
    its candidate states narrowed down by coupled random walks (0: never)."""

    measure_seconds: float = 10.0
    """Seconds given to the states of an attractor proven the only one of its trap space
    by those walks (its forward set); beyond them (or listing without sizes) its size is
    left unknown where walks in it move every free node."""

    max_reduced: int = 4096
    """Most candidate states of a trap space narrowed down by walks."""

    seed_patience: int = 2000
    """Counting from seeds: when the first forward search from a kept seed takes more than
    ``seed_forward_seconds``, the seeds are walked again, the coupled walks stopping after
    this many sweeps without a drop (or as many as had passed at the last drop) rather
    than ``stagnant``."""

    seed_forward_seconds: float = 1.0
    """Counting from seeds: the seconds in all for the forward searches from up to
    ``plain_walks`` seeds left after the sweeps, each until it meets a fixed point, before
    the backward search from the fixed points decides the seeds left (0: that search
    alone); and for the first forward search from a kept seed before the seeds are walked
    again with ``seed_patience``."""

    walk_seeds: int = 4
    """Where those walks leave more than one candidate of a minimal trap space, they are
    run again from the ones left with other random choices, up to this many times in all
    (coupled walks that have not met under one sequence of choices often meet under
    another: bbm/079 under the condition of seed 1 in ``benchmarks/async_free.py``, 56
    candidates left 2 under the first and 1 under the next, in a few hundredths of a
    second, where the search from the two took over a minute)."""

    reduce_sweeps: int = 50_000
    """Most sweeps of those walks; they also stop after as many sweeps without a candidate
    dropped as had passed at the last drop (at least ``stagnant`` times 10)."""

    hull_walks: int = 256
    """Walks from the state left by those walks (in the only attractor of its minimal trap
    space) that look for every free node to move: where one does not, the attractor's
    states are computed to find its hull."""

    hull_sweeps: int = 5000
    """Most sweeps of those walks."""

    seed_sweeps: int = 16
    """Candidate states are walked at random for this many sweeps before the search from
    them in a large trap space (a forward set from inside an attractor is the attractor)."""

    bound_seconds: float = 2.0
    """Counting: seconds given, after a count stopped early, to a proven upper bound (the
    number of candidate states)."""

    count_share: float = 0.75
    """Counting with a time limit: share of it given to the count; when that runs out, a
    tenth of the limit goes to proven bounds (of the whole network, and of the parts not
    counted), and the rest is a margin for the steps that cannot stop at once."""

    quick_seconds: float = 0.2
    """Counting, once bounding: seconds each part left is tried for an exact count before it
    is bounded."""

    max_groups: int = 1 << 17
    max_downstream: int = 2000
    """Counting: a part whose upstream part without a negative cycle feeds the rest at most
    ``max_groups`` different values is summed over them; with more, only when they leave
    at most ``max_downstream`` different networks (found within eight times as many
    steps of the expansion, which merges the rests left alike as it goes); otherwise it
    is split on an input. With inputs free, against the limit on values alone: bbm/269
    21 s instead of 35, 246 0.3 s instead of 9.2, 240 1.5 s instead of 5.8, 050 2.0 s
    instead of 7.6 (489 to 756 networks from 10^5 to 10^8 values); bbm/143 leaves 5,680
    networks from 1.7 x 10^8 values, and is counted in 38 s split on inputs, 69 s summed."""

    max_downstream_late: int = 16_000
    """Counting: a part left by the limit above (``max_downstream`` networks found, not
    the steps to find them) and not counted from its candidates swept forward is summed
    when its values leave at most this many different networks, before it is split on an
    input (bbm/143 with inputs free: 5,680 networks, 27 s instead of 38 s split; bbm/113
    finds none in 16,000 steps, and is split at once)."""

    many_downstream: int = 64
    direct_after: float = 20.0
    direct_spaces: int = 5000
    direct_seconds: float = 30.0
    """Counting: a part whose upstream part without a negative cycle leaves more than
    ``many_downstream`` different networks downstream has them counted in a random order;
    once the time they take projects to more than ``direct_after`` seconds still to go (and
    more than half the time left), the part is counted whole instead if it has at most
    ``direct_spaces`` minimal trap spaces,
    within ``direct_seconds`` (and 70 % of the time left: bbm/197 lists 140,204 candidate
    states in it, in 8 s of a share of that); else the networks downstream go on
    being counted where they stopped (bbm/083: 552 networks of which a few take seconds
    each, the whole part 20 s; bbm/146: 384 networks in 18 s, the whole part more than a
    minute)."""

    fork_after: float = 1.0
    """Counting with ``jobs`` above one: the networks downstream of an upstream part are
    shared out to forked copies of the process once those left project to more than this
    many seconds (a copy costs a few milliseconds, and its memo starts where the parent's
    stood)."""

    max_min_spaces: int = 200_000
    """Counting: most minimal trap spaces listed in a part without inputs; above it, the
    trap spaces minimal among those with a free node are enumerated instead."""

    explicit_max_states: int = 1 << 15
    """Counting with ``method="auto"``: asynchronous attractors are counted explicitly up to
    this many states (after percolating constants)."""

    state_limit: int = 1 << 26
    """Counting: synchronous and general asynchronous attractors are counted only
    explicitly, up to this many states."""


#: the settings used when none are given
DEFAULT = EngineSettings()
