"""待办: what awaits each signed-in user's action, and the header's counts."""
