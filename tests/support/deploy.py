"""What ``deploy/`` ships, read and set up as the tests need it: the systemd units and how they
compare with the Procfile, the nginx site in a private prefix, and the backup tools' env file.

The units and the site name production paths (``/opt/dvk/venv``, ``/etc/ssl/dvk/``, ...). The
tests copy them into a temporary folder with those paths turned into existing ones, and change
nothing else, so what is checked is what an operator installs.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from tests.support.stack import ROOT, procfile

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
SITE = DEPLOY / "nginx"
VENV_BIN = "/opt/dvk/venv/bin/"


# ---- systemd ----------------------------------------------------------------------------------


def unit_name(process: str) -> str:
    """The unit instance that runs a Procfile process: intake_web -> dvk-web@intake.service."""
    if "_" in process:
        service, role = process.split("_", 1)
        return f"dvk-{role}@{service}.service"
    return f"dvk-{process}@1.service"


def read_unit(path: Path) -> configparser.ConfigParser:
    """A unit file as sections of settings; a setting given twice keeps every value, in order."""
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",),
                                       dict_type=_MultiDict, empty_lines_in_values=False)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path)
    return parser


class _MultiDict(dict):
    def __setitem__(self, key, value):
        if isinstance(value, list) and key in self and isinstance(self[key], list):
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


def values(unit: configparser.ConfigParser, section: str, key: str) -> list[str]:
    raw = unit[section].get(key)
    return [] if raw is None else raw.split("\n")


def template_of(instance: str) -> Path:
    """dvk-web@intake.service -> deploy/systemd/dvk-web@.service."""
    return UNITS / re.sub(r"@[^.]*\.", "@.", instance)


def exec_start(instance: str) -> list[str]:
    """The instance's ExecStart as arguments, with %i resolved."""
    line = values(read_unit(template_of(instance)), "Service", "ExecStart")[0]
    name = instance.split("@", 1)[1].rsplit(".", 1)[0]
    return shlex.split(line.replace("%i", name))


def program_and_target(argv: list[str]) -> tuple[str, str]:
    """What a command runs, whatever its flags: (program name, module after -m or WSGI app)."""
    program = Path(argv[0]).name
    if "-m" in argv:
        return program, argv[argv.index("-m") + 1]
    apps = [arg for arg in argv[1:] if re.fullmatch(r"[\w.]+:[\w.]+(\(.*\))?", arg)]
    return program, apps[-1] if apps else ""


def config_module(argv: list[str]) -> str | None:
    """gunicorn's ``-c`` settings module, if the command names one."""
    return argv[argv.index("-c") + 1] if "-c" in argv else None


def procfile_commands() -> dict[str, list[str]]:
    return {name: shlex.split(command) for name, command in procfile().items()}


def units_for_verify(folder: Path) -> Path:
    """The units and their drop-ins copied into ``folder``, the virtualenv's programs in the
    place of the installed one's (verify checks that each ExecStart program exists)."""
    shutil.copytree(UNITS, folder, dirs_exist_ok=True)
    for unit in folder.glob("*.service"):
        unit.write_text(unit.read_text().replace(VENV_BIN, str(Path(sys.executable).parent) + "/"))
    return folder


def verify(folder: Path, units: list[str]) -> subprocess.CompletedProcess:
    """``systemd-analyze verify`` on the units, found in ``folder`` before the system's own."""
    env = {**os.environ, "SYSTEMD_UNIT_PATH": f"{folder}:", "SYSTEMD_LOG_COLOR": "0"}
    return subprocess.run(["systemd-analyze", "verify", "--man=no", *units], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)


# ---- nginx ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> None:
    """fullchain.pem and privkey.pem naming both hosts, where the site expects its certificate."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=dvk.example.vn",
                    "-addext", "subjectAltName=DNS:dvk.example.vn,DNS:review.dvk.example.vn",
                    "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)


def nginx_prefix(prefix: Path, listen: dict[str, str] | None = None,
                 upstreams: dict[str, str] | None = None) -> Path:
    """The site in a private nginx prefix, under a top-level configuration of its own (pid,
    logs and temporary files in the prefix); ``listen`` and ``upstreams`` replace the site's
    ports and gunicorn addresses. Returns the top-level configuration's path."""
    paths = {"/etc/ssl/dvk/": prefix / "ssl", "/etc/nginx/snippets/": prefix / "snippets",
             "/var/log/nginx/": prefix / "logs"}
    for folder in paths.values():
        folder.mkdir(parents=True, exist_ok=True)
    self_signed(prefix / "ssl")

    def place(source: Path, target: Path) -> None:
        text = source.read_text()
        for production, here in paths.items():
            text = text.replace(production, f"{here}/")
        for old, new in {**(listen or {}), **(upstreams or {})}.items():
            text = text.replace(old, new)
        target.write_text(text)

    place(SITE / "dvk.conf", prefix / "dvk.conf")
    for snippet in (SITE / "snippets").glob("*.conf"):
        place(snippet, prefix / "snippets" / snippet.name)
    user = f"user {os.environ.get('USER', 'root')};" if os.geteuid() == 0 else ""
    top = prefix / "nginx.conf"
    top.write_text(f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/dvk.conf;
}}
""")
    return top


def nginx(top: Path, *args: str, **kwargs):
    """Run the system's nginx on a private configuration (never the system's own)."""
    prefix = top.parent
    return subprocess.run(["nginx", "-p", f"{prefix}/", "-e", f"{prefix}/logs/error.log",
                           "-c", str(top), *args], capture_output=True, text=True, **kwargs)


# ---- backups ----------------------------------------------------------------------------------


def example_env() -> dict[str, str]:
    """deploy/production.env.example as systemd's EnvironmentFile= reads it."""
    lines = (DEPLOY / "production.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def env_file(path: Path, env: dict[str, str]) -> Path:
    """The services' variables as an EnvironmentFile, as the backup tools read it."""
    path.write_text("".join(f"{key}={value}\n" for key, value in env.items()))
    return path


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    """deploy/backup.sh or deploy/restore.sh, as an operator runs it."""
    return subprocess.run(["bash", str(DEPLOY / name), *args], capture_output=True, text=True,
                          timeout=600)
