"""The onsite loop: starting it (or its next round), switching its track while that is still
allowed, and after each scorecard, the progress or the hiring committee's packet."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.errors import UserError
from bot.domain.message import Command, Phrase
from bot.domain.mock import MockRound
from bot.domain.mock_loop import (
    TRACK_NAMES,
    LoopTrack,
    MockLoop,
    PacketEntry,
    committee_packet,
    next_position,
    signal_of,
    track_fixed_by,
)
from bot.services.mocks.deps import MockDeps, quietly
from bot.services.mocks.ports import LoopPlace, LoopProgress
from bot.services.mocks.results import StartOutcome
from bot.services.mocks.start import Opening, open_round, refuse_if_busy


async def start_loop(
    deps: MockDeps, opening: Opening, *, track: LoopTrack | None, fresh: bool
) -> StartOutcome:
    """Start the member's loop, or its next round; `fresh` abandons a loop in progress. A
    `track` other than the loop's switches it while no round of its own has started. The
    opening's round and difficulty are the loop's to choose."""
    guild_id, user_id = opening.guild_id, opening.user_id
    await refuse_if_busy(deps, guild_id, user_id)
    now = deps.clock.now()
    loop = await deps.store.mocks.active_loop(guild_id, user_id)
    if loop is not None and fresh:
        await deps.store.mocks.finish_loop(loop.loop_id, "abandoned", None, now)
        loop = None
    if loop is None:
        loop = await deps.store.mocks.start_loop(guild_id, user_id, track or "swe", now)
        if loop is None:
            raise UserError("Your loop is being set up already; try again.", code="busy")
    rounds = await deps.store.mocks.loop_rounds(loop.loop_id)
    taken = {r.loop_position for r in rounds if r.loop_position is not None}
    switched = None
    if track is not None and track != loop.track:
        loop = await _switch_track(deps, loop, track, taken)
        switched = track
    position = next_position(loop.plan, taken)
    if position is None:
        raise UserError(
            "Every round of your loop is done. The committee packet is posted in the last "
            "round's thread as soon as its scorecard is ready.",
            code="loop-scoring",
        )
    step = loop.plan[position]
    place = LoopPlace(position, len(loop.plan), step)
    started = await open_round(
        deps,
        replace(opening, round_name=step.round, difficulty=step.difficulty, loop=(loop, place)),
    )
    return replace(started, switched_track=switched)


async def _switch_track(
    deps: MockDeps, loop: MockLoop, track: LoopTrack, taken: set[int]
) -> MockLoop:
    fixed_by = track_fixed_by(loop.track, track, taken)
    if fixed_by is not None:
        # i18n: {track} and {wanted} are track names (SWE, ML); {round} is a loop round's name.
        raise UserError(
            "Your loop stays on the {track} track: its {round} round has started. Go on with "
            "{command}, or start a new {wanted} loop with {fresh} (this abandons the loop in "
            "progress). Nothing was changed.",
            code="loop-track-fixed",
            track=Phrase(TRACK_NAMES[loop.track]),
            round=Phrase(fixed_by.label),
            command=Command("/mock loop"),
            wanted=Phrase(TRACK_NAMES[track]),
            fresh=Command(f"/mock loop track:{track} fresh:true"),
        )
    if not await deps.store.mocks.set_loop_track(loop.loop_id, track):
        raise UserError("Your loop changed meanwhile; try again.", code="busy")
    return replace(loop, track=track)


async def advance_loop(deps: MockDeps, mock: MockRound, loop_id: int) -> None:
    """After a loop round's scorecard: point to the next round, or post the packet."""
    loop = await deps.store.mocks.loop(loop_id)
    if loop is None or loop.status != "active":
        return
    rounds = await deps.store.mocks.loop_rounds(loop_id)
    scored = {r.loop_position: r for r in rounds if r.status == "closed" and r.grade is not None}
    plan = loop.plan
    if len(scored) < len(plan):
        taken = {r.loop_position for r in rounds if r.loop_position is not None}
        following = next_position(plan, taken)
        label = plan[following].label if following is not None else None
        progress = LoopProgress(len(scored), len(plan), label)
        await quietly(deps.room.post_notice(mock, progress), "notice", mock)
        return
    entries = []
    for position, step in enumerate(plan):
        done = scored[position]
        grade = done.grade
        assert grade is not None
        question = await deps.catalog.question(done.guild_id, done.question_id)
        entries.append(
            PacketEntry(
                label=step.label,
                title=question.title if question else done.question_id,
                overall=grade.overall,
                max=grade.max,
                signal=signal_of(grade.hiring_signal, grade.overall),
                round_id=done.round_id,
                thread_id=done.thread_id,
            )
        )
    packet = committee_packet(entries)
    now = deps.clock.now()
    if await deps.store.mocks.finish_loop(loop_id, "complete", packet.decision, now):
        await quietly(deps.room.post_packet(mock, packet), "packet", mock)
