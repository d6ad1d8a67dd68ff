"""The web companion (`python -m bot web`): the server's public board, a member's progress and
mock transcripts after logging in with Discord, and admin pages. Its own process, on the same
database as the bot; it never imports discord.py (it talks to Discord's OAuth2 over HTTP)."""
