"""Message catalogs: the locales Discord offers and the gettext catalogs (read with Babel) that
translate what the bot shows into them. Pure: no Discord imports here."""
