"""Superset configuration for `make bi` (read through SUPERSET_CONFIG_PATH).

Everything Superset keeps lives in one folder, SUPERSET_HOME (by default $BUDGET_WAREHOUSE_DATA/superset):
its metadata database (SQLite), the generated secret key. Nothing is fetched from the internet:
no telemetry, no map tiles, no thumbnails or reports needing a worker. The UI is in Chinese.
"""

import os
import secrets
from pathlib import Path

SUPERSET_HOME = Path(
    os.environ.get("SUPERSET_HOME") or Path(os.environ.get("BUDGET_WAREHOUSE_DATA", "data")) / "superset"
)
SUPERSET_HOME.mkdir(parents=True, exist_ok=True)
DATA_DIR = str(SUPERSET_HOME)


def _secret_key() -> str:
    """SUPERSET_SECRET_KEY, else a random key generated once and kept (mode 600) in SUPERSET_HOME."""
    key = os.environ.get("SUPERSET_SECRET_KEY")
    if key:
        return key
    path = SUPERSET_HOME / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"

# Chinese UI (English kept as the second choice in the language menu)
BABEL_DEFAULT_LOCALE = "zh"
LANGUAGES = {
    "zh": {"flag": "cn", "name": "简体中文"},
    "en": {"flag": "us", "name": "English"},
}

# Offline: no telemetry, no external map tiles or geocoding, no background workers
SCARF_ANALYTICS = False
MAPBOX_API_KEY = ""
FEATURE_FLAGS = {
    "THUMBNAILS": False,
    "ALERT_REPORTS": False,
    "DASHBOARD_RBAC": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    # the dashboards' "latest year" filter: fiscal_year = (SELECT MAX(fiscal_year) FROM <the same mart>);
    # the database is read-only, so a sub-query can read but never change anything
    "ALLOW_ADHOC_SUBQUERY": True,
}
# The warehouse is small and rebuilt under Superset's feet (warehouse.duckdb is replaced by
# every build): no result cache, every chart query reads the file as it is now.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
FILTER_STATE_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
EXPLORE_FORM_DATA_CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 86400}
RATELIMIT_ENABLED = False
RATELIMIT_STORAGE_URI = "memory://"

# Served on 127.0.0.1 only, over plain HTTP. The page may load nothing from elsewhere: Superset's
# front end embeds a telemetry pixel (apachesuperset.gateway.scarf.sh) whatever SCARF_ANALYTICS
# says, and its default policy allows that and map tile servers; this one allows only this server.
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
SESSION_COOKIE_SECURE = False
WTF_CSRF_ENABLED = True
WTF_CSRF_TIME_LIMIT = None
ROW_LIMIT = 10000
