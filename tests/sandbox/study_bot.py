"""A tiny bot (bare discord.py, no project code) whose tree exercises the emulator."""

from __future__ import annotations

import asyncio
import io
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from .conftest import make_bot

TIMEZONES = ["Europe/Berlin", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"]
NO_PINGS = discord.AllowedMentions.none()


class AnswerModal(discord.ui.Modal, title="Your answer"):
    answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
        label="Answer", style=discord.TextStyle.paragraph, max_length=4000, custom_id="answer"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"Received {len(self.answer.value)} characters.", ephemeral=True
        )


class LabelledModal(discord.ui.Modal, title="Feedback"):
    """The newer layout: a label component (type 18) wrapping each input."""

    def __init__(self) -> None:
        super().__init__(custom_id="feedback-modal")
        self.notes: discord.ui.TextInput[LabelledModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, custom_id="notes", min_length=3
        )
        self.rating: discord.ui.Select[LabelledModal] = discord.ui.Select(
            custom_id="rating",
            options=[discord.SelectOption(label=str(i), value=str(i)) for i in range(1, 6)],
        )
        self.add_item(discord.ui.Label(text="Notes", component=self.notes))
        self.add_item(discord.ui.Label(text="Rating", component=self.rating))

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(
            f"notes={self.notes.value!r} rating={self.rating.values[0]}", ephemeral=True
        )


class DailyView(discord.ui.View):
    """Persistent: fixed custom_ids and no timeout, registered with ``bot.add_view``."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Answer", style=discord.ButtonStyle.primary, custom_id="daily:answer")
    async def answer(
        self, interaction: discord.Interaction, _: discord.ui.Button[DailyView]
    ) -> None:
        await interaction.response.send_modal(AnswerModal())

    @discord.ui.button(label="Skip", custom_id="daily:skip")
    async def skip(self, interaction: discord.Interaction, _: discord.ui.Button[DailyView]) -> None:
        await interaction.response.edit_message(content="Skipped today.", view=None)


class RoundPicker(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.select(
        custom_id="round-picker",
        placeholder="Pick a round",
        options=[discord.SelectOption(label=r, value=r) for r in ("coding", "system_design")],
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[RoundPicker]
    ) -> None:
        await interaction.response.send_message(f"You picked {select.values[0]}", ephemeral=True)


class Daily(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(name="daily", description="Daily question")

    @app_commands.command(description="Set up the daily question")
    @app_commands.describe(time="HH:MM", timezone="IANA timezone")
    async def setup(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        time: str,
        timezone: str,
        ping_role: discord.Role | None = None,
    ) -> None:
        if not interaction.permissions.manage_guild:
            await interaction.response.send_message("You need Manage Server.", ephemeral=True)
            return
        role = f" pinging {ping_role.mention}" if ping_role else ""
        await interaction.response.send_message(
            f"Daily question in {channel.mention} at {time} {timezone}{role}.",
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )

    @setup.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=tz, value=tz) for tz in TIMEZONES if current in tz]

    @app_commands.command(description="Post the question now")
    async def now(self, interaction: discord.Interaction) -> None:
        assert isinstance(interaction.channel, discord.TextChannel)
        await interaction.response.defer(ephemeral=True, thinking=True)
        embed = discord.Embed(title="Daily question · Coding", description="Invert a binary tree.")
        embed.set_footer(text="Answer privately with the button")
        await interaction.channel.send(embed=embed, view=DailyView(), allowed_mentions=NO_PINGS)
        await interaction.followup.send("Posted.", ephemeral=True)


class Admin(app_commands.Group):
    def __init__(self) -> None:
        super().__init__(
            name="admin",
            description="Admin tools",
            default_permissions=discord.Permissions(manage_guild=True),
        )

    @app_commands.command(description="Status")
    async def status(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


def build_bot(**options: object) -> commands.Bot:
    bot = make_bot(**options)  # type: ignore[arg-type]
    tree = bot.tree
    tree.add_command(Daily())
    tree.add_command(Admin())

    @tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @tree.command(description="Start a mock round")
    @app_commands.describe(difficulty="1-5")
    async def mock(
        interaction: discord.Interaction,
        round: Literal["coding", "system_design", "ml_design", "behavioral"],
        difficulty: app_commands.Range[int, 1, 5] = 3,
    ) -> None:
        await interaction.response.send_message(f"{round} at {difficulty}", ephemeral=True)

    @tree.command(description="Think, then answer in a followup")
    async def think(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.sleep(0.05)
        await interaction.followup.send("Thought about it.", ephemeral=True)
        await interaction.followup.send("And one more thing.", ephemeral=True)

    @tree.command(description="Defer, then edit the original response")
    async def grade(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)
        await interaction.edit_original_response(content="Score: 3.8/5")

    @tree.command(description="Open the labelled modal")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(LabelledModal())

    @tree.command(description="Pick a round from a menu")
    async def pick(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Which round?", view=RoundPicker(), ephemeral=True)

    @tree.command(description="Upload a file")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()
        await interaction.response.send_message(
            f"{file.filename}: {len(data)} bytes, starts {data[:5].decode()}",
            file=discord.File(io.BytesIO(data.upper()), filename="upper.txt"),
            ephemeral=True,
        )

    @tree.command(description="Who?")
    async def whois(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(
            f"{member.display_name} ({type(member).__name__})", allowed_mentions=NO_PINGS
        )

    @tree.command(description="Echo text into the channel")
    async def echo(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text, allowed_mentions=NO_PINGS)

    async def setup_hook() -> None:
        bot.add_view(DailyView())

    bot.setup_hook = setup_hook  # type: ignore[method-assign]
    return bot
