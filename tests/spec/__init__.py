"""Discord's OpenAPI spec and a request checker for the emulator's recorded requests."""
