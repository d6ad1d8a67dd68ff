"""How long a test waits for the bot before giving up.

Every wait returns as soon as what it waits for happens (waits are woken by the bot's requests
and gateway traffic), so this ceiling only bounds a bot that hangs. It is generous on purpose: on
a loaded 2-core machine a correct bot can take seconds, and a ceiling near the typical time makes
a flaky suite. A test that checks that something does *not* happen passes its own short timeout.
"""

WAIT_SECONDS = 20.0
