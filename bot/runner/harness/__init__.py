"""Programs that run inside the sandbox: each reads one request on stdin and prints results."""
