"""Run a member's code against a coding question's tests, inside a bubblewrap sandbox."""
