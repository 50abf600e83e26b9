from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LOCAL_KEYS_FILE = BASE_DIR / "var" / "secrets" / "local-keys.json"
