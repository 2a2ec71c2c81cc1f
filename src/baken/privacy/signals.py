"""What other apps may hear from the retention run without the privacy app knowing them
(the apps above it in the layers of ADR 0026 listen; privacy imports none of them)."""

from django.dispatch import Signal

# Sent after a retention run finished (not after a dry run), with `run`: the RetentionRun.
# The exports app deletes files that hold rows destroyed by it.
run_finished = Signal()
