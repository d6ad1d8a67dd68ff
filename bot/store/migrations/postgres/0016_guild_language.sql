-- The language of what the bot posts in a server's channels (the daily post, the reveal, notices,
-- mock and peer threads), as a Discord locale code set by an admin with `/daily language`; NULL
-- follows the server's own preferred locale.
ALTER TABLE guilds ADD COLUMN language TEXT;
