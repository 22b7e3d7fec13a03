"""What an installed wheel must be able to do with its own files, run inside it.

``tests/integration/test_wheel.py`` runs this source with ``python -c``, the unpacked wheel first on
``PYTHONPATH`` and the working directory in an empty folder, so every template, catalogue,
migration, chain and stylesheet it touches comes from the wheel, never from the checkout.
It prints one JSON object of what it saw; the test judges it. It imports nothing from ``tests``.
"""

import json
import os
import sys
from pathlib import Path

site, data = Path(sys.argv[1]), Path(sys.argv[2])
seen = {}

import intake_service  # noqa: E402
import review_service  # noqa: E402
import shared  # noqa: E402

seen["imported_from"] = {m.__name__: m.__file__ for m in (intake_service, review_service, shared)}

from review_service.chains import rules  # noqa: E402
from shared import pdf  # noqa: E402
from shared.db import migrate  # noqa: E402
from shared.settings import from_env  # noqa: E402

settings = from_env({"DVK_DATA_DIR": str(data), "SECRET_KEY": "wheel-check-" + "k" * 40,
                     "PATH": os.environ["PATH"]})
migrate("intake_service", settings.intake_database_url)
migrate("review_service", settings.review_database_url)
seen["migrated"] = True
seen["chains"] = {name: len(rules.shipped(name).default.stages) for name in rules.SHIPPED}
seen["pdf_converter"] = os.path.basename(pdf.converter()) in pdf.COMMANDS

from intake_service.app import create_app as intake_app  # noqa: E402
from review_service.app import create_app as review_app  # noqa: E402

intake, review = intake_app(settings).test_client(), review_app(settings).test_client()
login = intake.get("/login")
seen["login_vi"] = "Đăng nhập" in login.get_data(as_text=True)
intake.set_cookie("lang", "en")
seen["login_en"] = "Sign in" in intake.get("/login").get_data(as_text=True)
seen["status"] = {
    path: client.get(path).status_code
    for client, paths in ((intake, ("/static/app/app.css", "/static/app/app.js",
                                    "/static/reporting/report.css", "/static/vendor/htmx.min.js",
                                    "/api/openapi.json")),
                          (review, ("/static/app/app.css", "/api/openapi.json")))
    for path in paths
}
print(json.dumps(seen))
