"""Peer feedback: the form a member fills in for their partner after the session, saved with
the giver's points and delivered privately (or at the receiver's next `/peer status`)."""

from __future__ import annotations

from bot.domain.errors import UserError
from bot.domain.message import Button, Command, Member
from bot.domain.models import DELETED_MEMBER
from bot.domain.peer_feedback import PeerFeedback, parse_scores
from bot.domain.points import feedback_given_points
from bot.domain.schedule import local_date
from bot.domain.text import is_blank
from bot.services.peers.context import PeerContext
from bot.services.peers.results import FeedbackForm, FeedbackOutcome
from bot.store.points import PointsClaim

FEEDBACK_TEXT_MAX = 1000


class PeerFeedbackForms:
    def __init__(self, ctx: PeerContext) -> None:
        self._ctx = ctx

    async def form(self, session_id: int, giver_id: int, *, guild_id: int) -> FeedbackForm:
        """What the giver rates: their partner's candidate half, refused when there is none."""
        ctx = self._ctx
        session = await ctx.member_session(session_id, giver_id, guild_id)
        if session.status != "ended":
            raise UserError(
                "Feedback opens when the session ends: press {button} first.",
                code="not-ended",
                button=Button("End session"),
            )
        receiver = session.partner_of(giver_id)
        if receiver == DELETED_MEMBER:
            raise UserError(
                "Your partner deleted their data with {command}, so there is no one to send "
                "feedback to. Nothing was saved.",
                code="partner-deleted",
                command=Command("/privacy delete"),
            )
        half = session.half_for_candidate(receiver)
        if half is None:
            raise UserError(
                "{member} was not the candidate in this session (it ended before the swap), so "
                "there is no answer of theirs to rate.",
                code="no-candidate-turn",
                member=Member(receiver),
            )
        if await ctx.peers.feedback.feedback_from(session_id, giver_id) is not None:
            raise UserError("You already sent your feedback for this session.", code="sent")
        name = await ctx.peers.sessions.display_name(session.guild_id, receiver)
        question = await ctx.question(session, half)
        return FeedbackForm(session, receiver, name, question)

    async def submit(
        self,
        session_id: int,
        giver_id: int,
        *,
        guild_id: int,
        scores_text: str,
        went_well: str,
        to_improve: str,
    ) -> FeedbackOutcome:
        ctx = self._ctx
        form = await self.form(session_id, giver_id, guild_id=guild_id)
        scores = parse_scores(scores_text, [c.name for c in form.question.rubric])
        # A comment of only zero-width or control characters is no comment.
        well, improve = ("" if is_blank(t) else t.strip() for t in (went_well, to_improve))
        if not scores.scores and not well and not improve:
            raise UserError(
                "The form was empty: score at least one criterion or write a comment.",
                code="empty",
            )
        now = ctx.clock.now()
        feedback = PeerFeedback(
            session_id=session_id,
            guild_id=form.session.guild_id,
            giver_id=giver_id,
            receiver_id=form.receiver_id,
            question_id=form.question.id,
            scores=scores,
            went_well=well[:FEEDBACK_TEXT_MAX],
            to_improve=improve[:FEEDBACK_TEXT_MAX],
            created_at=now,
        )
        points = feedback_given_points()
        zone = await ctx.store.guilds.zone(feedback.guild_id)
        claim = PointsClaim(
            guild_id=feedback.guild_id,
            user_id=giver_id,
            kind="peer_feedback",
            ref=str(session_id),
            round_name=form.session.round,
            amount=points,
            local_date=local_date(now, zone).isoformat(),
        )
        if not await ctx.peers.feedback.save_feedback(feedback, claim):
            raise UserError("You already sent your feedback for this session.", code="sent")
        delivered = await ctx.rooms.deliver_feedback(feedback, form.question)
        if delivered:
            await ctx.peers.feedback.mark_delivered(session_id, giver_id)
        return FeedbackOutcome(feedback, delivered, points)
