"""Settings shared by the commands that use a trained model, and their checks."""
from landmarks.errors import UserError

# Below this smoothed probability a label is called unsure (predict and live).
MIN_CONFIDENCE = 0.6


def check_probability(value, flag="--min-confidence"):
    if not 0.0 <= value <= 1.0:
        raise UserError(f"{flag} is a probability; pass a value from 0 to 1, not {value}")
