import os

# The test run needs a key; production never falls back to one (see settings).
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
